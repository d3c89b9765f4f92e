# `ipclab` alone on a fresh kit: every chapter "not started", then the next
# step with the commands and the file to edit.
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
make_fixture_kit()
ipclab(rc out)
if(NOT rc EQUAL 0)
  fail("`ipclab` must exit 0 before any check was run")
endif()
foreach(wanted "01  pipes +Fixture pipes +APUE 15.2 +not started" "Next: 01 Fixture pipes"
               "./ipclab read pipes" "./ipclab demo pipes" "exercises/01-pipes/pipes.cpp"
               "./ipclab check pipes" "./ipclab watch pipes" "./ipclab hint pipes")
  if(NOT out MATCHES "${wanted}")
    fail("the home screen must show: ${wanted}")
  endif()
endforeach()
file(REMOVE_RECURSE ${WORK})
