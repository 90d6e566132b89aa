# Installs the test's npm packages (the official MCP TypeScript SDK) into the
# build tree with `npm ci` from the committed package-lock.json. Skips the
# install when node_modules already matches the lock file. Fails clearly when
# node or npm is missing.
#
#   cmake -DNODE=... -DNPM=... -DDIR=<build dir with package*.json> -P npm_setup.cmake
if(NOT NODE OR NODE MATCHES "NOTFOUND$")
  message(FATAL_ERROR "node not found: the MCP integration tests need "
                      "Node.js (Debian package nodejs; cmake/build.sh "
                      "installs it)")
endif()
if(NOT NPM OR NPM MATCHES "NOTFOUND$")
  message(FATAL_ERROR "npm not found: the MCP integration tests need npm to "
                      "install @modelcontextprotocol/sdk (Debian package npm; "
                      "cmake/build.sh installs it)")
endif()
set(_stamp ${DIR}/node_modules/.caf-consensus-lock)
if(EXISTS ${_stamp})
  file(SHA256 ${DIR}/package-lock.json _want)
  file(READ ${_stamp} _have)
  if(_want STREQUAL _have
     AND EXISTS ${DIR}/node_modules/@modelcontextprotocol/sdk/package.json)
    message(STATUS "npm packages are up to date in ${DIR}")
    return()
  endif()
endif()
message(STATUS "npm ci in ${DIR}")
execute_process(
  COMMAND ${NPM} ci --no-audit --no-fund --loglevel=error
  WORKING_DIRECTORY ${DIR}
  RESULT_VARIABLE _rc
  TIMEOUT 600)
if(NOT _rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${_rc}) in ${DIR}: the MCP integration "
                      "tests cannot run without @modelcontextprotocol/sdk")
endif()
file(SHA256 ${DIR}/package-lock.json _want)
file(WRITE ${_stamp} "${_want}")
