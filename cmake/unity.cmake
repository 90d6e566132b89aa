# caf-consensus: which targets build as unity batches (several source files
# per compiler run), to cut the time spent parsing the same heavy headers
# (CAF, GoogleTest) over and over. Included at the end of the top-level
# CMakeLists.txt, when every target exists.
option(CAF_CONSENSUS_UNITY
       "Compile several source files per compiler run (CMake unity builds)" ON)
set(CAF_CONSENSUS_UNITY_BATCH_SIZE 8 CACHE STRING
    "Source files per unity batch (CAF_CONSENSUS_UNITY)")
if(NOT CAF_CONSENSUS_UNITY)
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

_caf_consensus_targets(_caf_consensus_all ${PROJECT_SOURCE_DIR})
foreach(_t IN LISTS _caf_consensus_all)
  get_target_property(_type ${_t} TYPE)
  get_target_property(_sources ${_t} SOURCES)
  list(LENGTH _sources _n)
  if(_type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|EXECUTABLE)$"
     AND _n GREATER 1)
    set_target_properties(${_t} PROPERTIES UNITY_BUILD ON
                                           UNITY_BUILD_BATCH_SIZE ${CAF_CONSENSUS_UNITY_BATCH_SIZE})
    # GCC takes every source of a batch but the first for a header and warns
    # about test fixtures in anonymous namespaces; a build without unity
    # batches still reports the real cases.
    target_compile_options(${_t} PRIVATE
      $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
  endif()
endforeach()

# Files that cannot share a batch with their neighbours.
set_source_files_properties(
  # defines the same file-local `nan` as report/cell_result.cpp
  ${PROJECT_SOURCE_DIR}/sim/src/report/charts.cpp
  TARGET_DIRECTORY caf_consensus_sim PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
