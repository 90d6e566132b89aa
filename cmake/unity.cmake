# caf-consensus: which targets build as unity batches (several source files
# per compiler run), to cut the time spent parsing the same heavy headers
# (CAF, GoogleTest) over and over. Included at the end of the top-level
# CMakeLists.txt, when every target exists.
#
#   -DCAF_CONSENSUS_UNITY=OFF            one compiler run per source file
#   -DCAF_CONSENSUS_UNITY_BATCH_SIZE=N   source files per batch (default 8)
#
# Every source file still compiles on its own (CAF_CONSENSUS_UNITY=OFF builds
# them one by one), so each keeps its includes complete. Two sources of one
# target that define the same file-local name (anonymous namespace, static)
# collide in a batch: rename one, or list the file below.
option(CAF_CONSENSUS_UNITY
       "Compile several source files per compiler run (CMake unity builds)" ON)
set(CAF_CONSENSUS_UNITY_BATCH_SIZE 8 CACHE STRING
    "Source files per unity batch (CAF_CONSENSUS_UNITY)")
# SKIP_UNITY_BUILD_INCLUSION on a source of another directory needs
# TARGET_DIRECTORY (CMake 3.18).
if(NOT CAF_CONSENSUS_UNITY OR CMAKE_VERSION VERSION_LESS 3.18)
  return()
endif()

# _caf_consensus_targets(OUT DIR): every target defined in DIR and below.
function(_caf_consensus_targets out dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    _caf_consensus_targets(sub_targets ${sub})
    list(APPEND targets ${sub_targets})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

# All libraries and executables of the project with more than one source:
# the libraries, consensus-sim, the test and benchmark executables. Batches
# of 8 keep both cores of a small machine busy (the simulator library alone
# makes 10 batches) at most 0.7 GB per compiler run in Release, 1.2 GB with
# the sanitizers; batches of 16 saved only 2% more compile time.
_caf_consensus_targets(_caf_consensus_all ${PROJECT_SOURCE_DIR})
foreach(_t IN LISTS _caf_consensus_all)
  get_target_property(_type ${_t} TYPE)
  get_target_property(_sources ${_t} SOURCES)
  list(LENGTH _sources _n)
  if(_type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$"
     AND _n GREATER 1)
    set_target_properties(${_t} PROPERTIES
      UNITY_BUILD ON
      UNITY_BUILD_BATCH_SIZE ${CAF_CONSENSUS_UNITY_BATCH_SIZE})
    # In a batch GCC sees the test sources as headers and warns about every
    # test of a fixture in an anonymous namespace; a build without batches
    # still reports the real cases.
    target_compile_options(${_t} PRIVATE
      $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
  endif()
endforeach()

# Sources that cannot share a batch with their neighbours.
set_source_files_properties(
  # the same file-local `nan` as sim/src/report/cell_result.cpp
  ${PROJECT_SOURCE_DIR}/sim/src/report/charts.cpp
  TARGET_DIRECTORY caf_consensus_sim PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
