# `ipclab demo`: runs the chapter's demo binary; --trace sets IPCLAB_TRACE=1;
# the exit code is the demo's.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
make_fixture_kit()
ipclab(rc out demo pipes)
if(NOT rc EQUAL 7 OR NOT out MATCHES "IPCLAB_TRACE=unset")
  fail("`ipclab demo pipes` must run the demo without tracing and exit with its code 7")
endif()
ipclab(rc out demo pipes --trace)
if(NOT rc EQUAL 7 OR NOT out MATCHES "IPCLAB_TRACE=1")
  fail("`ipclab demo pipes --trace` must pass IPCLAB_TRACE=1 to the demo")
endif()
file(REMOVE_RECURSE ${WORK})
