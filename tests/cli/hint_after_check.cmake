# `ipclab hint` after a failed check: the check says a hint fits its first
# failure, and the first hint given is that failure's, not the list's first.
# A kit of chapter 01 whose exercises/ is the solution with TELL_WAIT()
# made to fail (EIO, not the stub's ENOSYS, so it counts as written): only
# the TELL_WAIT tests fail, and their hint is the last one.
# -DIPCLAB -DWORK -DMANIFEST=<the build's ipclab-build.json> -DROOT=<the kit's source>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
file(REMOVE_RECURSE ${WORK})
file(COPY ${ROOT}/chapters/01-pipes DESTINATION ${WORK}/src/chapters)
file(COPY ${ROOT}/solutions/01-pipes DESTINATION ${WORK}/src/exercises)
file(READ ${WORK}/src/exercises/01-pipes/pipes.cpp code)
string(REPLACE "int TELL_WAIT(void) {" "int TELL_WAIT(void) {\n  errno = EIO;\n  return -1;" undone "${code}")
if(undone STREQUAL code)
  fail("solutions/01-pipes/pipes.cpp has no `int TELL_WAIT(void) {` to undo")
endif()
file(WRITE ${WORK}/src/exercises/01-pipes/pipes.cpp "${undone}")
file(READ ${MANIFEST} manifest)
string(JSON test GET "${manifest}" chapters 01-pipes test)
string(JSON manifest SET "${manifest}" source_dir "\"${WORK}/src\"")
string(JSON manifest SET "${manifest}" chapters "{\"01-pipes\": {\"test\": \"${test}\", \"demo\": \"${WORK}/none\"}}")
file(WRITE ${WORK}/manifest.json "${manifest}")

ipclab(rc out check pipes)
if(NOT rc EQUAL 1 OR NOT out MATCHES "FAIL TELL_WAIT makes parent and child strictly alternate")
  fail("TELL_WAIT left undone must fail its test (exit 1)")
endif()
if(NOT out MATCHES "FAIL TELL_WAIT makes parent[^\n]*\n([^\n]*\n)*[^\n]*a hint fits this failure: ./ipclab hint pipes")
  fail("the failure output must say that a hint fits it")
endif()
ipclab(rc out hint pipes)
if(NOT rc EQUAL 0 OR NOT out MATCHES "hint 6 of 6, for the failing test \"TELL_WAIT makes parent[^\n]*\n *TELL_WAIT needs two pipes")
  fail("the first hint after the check must be the TELL_WAIT test's ([tell-wait] in chapter.toml), not the list's first")
endif()
expect_output("hint 1 of 6:" "once the failure's hints are given, the list goes on in order" hint pipes)
ipclab(rc out hint pipes --reset)
expect_output("hint 6 of 6, for the failing test" "after --reset the failure's hint must come first again"
              hint pipes)
file(REMOVE_RECURSE ${WORK})
