# Finds Debian's CAF 0.17.6 (libcaf-dev ships no CMake config or pkg-config file).
# Defines the imported targets CAF::core, CAF::io and (if present) CAF::openssl.
find_package(Threads REQUIRED)
find_path(CAF_INCLUDE_DIR NAMES caf/all.hpp caf/detail/build_config.hpp)
find_library(CAF_CORE_LIBRARY NAMES caf_core)
find_library(CAF_IO_LIBRARY NAMES caf_io)
find_library(CAF_OPENSSL_LIBRARY NAMES caf_openssl)
if(CAF_INCLUDE_DIR)
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_ver
       REGEX "^#define CAF_VERSION [0-9]+")
  string(REGEX MATCH "[0-9]+" CAF_VERSION_INT "${_caf_ver}")
  math(EXPR _major "${CAF_VERSION_INT} / 10000")
  math(EXPR _minor "(${CAF_VERSION_INT} / 100) % 100")
  math(EXPR _patch "${CAF_VERSION_INT} % 100")
  set(CAF_VERSION "${_major}.${_minor}.${_patch}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF
  REQUIRED_VARS CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY
  VERSION_VAR CAF_VERSION
  FAIL_MESSAGE "CAF not found: apt-get install libcaf-dev")
if(CAF_FOUND AND NOT TARGET CAF::core)
  if(NOT CAF_VERSION_INT EQUAL 1706)
    message(WARNING "expected CAF 0.17.6 (1706), found ${CAF_VERSION_INT}")
  endif()
  add_library(CAF::core SHARED IMPORTED GLOBAL)
  set_target_properties(CAF::core PROPERTIES
    IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
  add_library(CAF::io SHARED IMPORTED GLOBAL)
  set_target_properties(CAF::io PROPERTIES
    IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
    INTERFACE_LINK_LIBRARIES CAF::core)
  if(CAF_OPENSSL_LIBRARY)
    add_library(CAF::openssl SHARED IMPORTED GLOBAL)
    set_target_properties(CAF::openssl PROPERTIES
      IMPORTED_LOCATION "${CAF_OPENSSL_LIBRARY}"
      INTERFACE_LINK_LIBRARIES CAF::io)
  endif()
endif()
