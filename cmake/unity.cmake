# caf-consensus: which targets build as unity batches (several source files
# per compiler run), to cut the time spent parsing the same heavy headers
# (CAF, GoogleTest) over and over. Included at the end of the top-level
# CMakeLists.txt, when every target exists.
