# Functions that still fail with the stub's ENOSYS are named once, and the
# tests that met them are shown as not attempted, with the same score.
#   -DIPCLAB=<exe> -DWORK=<scratch folder> -DEXERCISES=<shipped fill-ins> -DSOLUTIONS=<solutions>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
function(check tree rc_var out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env NO_COLOR=1 ${IPCLAB} check pipes --exercises ${tree} ${ARGN}
                  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "check ${tree} ${ARGN} -> exit ${rc}\n${out}${err}")
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# The shipped fill-in: every function is a stub; every test not attempted; score 0.
check(${EXERCISES} rc out --json)
string(JSON summary GET "${out}" output)
string(JSON score GET "${out}" score)
string(JSON count LENGTH "${out}" tests)
if(NOT summary MATCHES "^([0-9]+) of ([0-9]+) functions are not written yet: " OR
   NOT CMAKE_MATCH_1 STREQUAL CMAKE_MATCH_2 OR NOT score EQUAL 0)
  fail("the shipped fill-in must say 'N of N functions are not written yet' and score 0")
endif()
foreach(i RANGE 1 ${count})
  math(EXPR at "${i} - 1")
  string(JSON not_attempted ERROR_VARIABLE none GET "${out}" tests ${at} not_attempted)
  string(JSON status GET "${out}" tests ${at} status)
  if(NOT status STREQUAL "failed" OR (NOT none STREQUAL "NOTFOUND" AND NOT none STREQUAL ""))
    fail("every test of the shipped fill-in must fail, marked not attempted")
  endif()
endforeach()

# Half written: the solution's run_pipeline, the stubs of TELL_WAIT and friends.
file(READ ${SOLUTIONS}/01-pipes/pipes.cpp solved)
file(READ ${EXERCISES}/01-pipes/pipes.cpp stubs)
string(FIND "${solved}" "\nnamespace {\n\nint to_child" cut)
string(FIND "${stubs}" "int TELL_WAIT(void)" from)
if(cut EQUAL -1 OR from EQUAL -1)
  fail("cannot find where to join the solution and the stubs")
endif()
string(SUBSTRING "${solved}" 0 ${cut} head)
string(SUBSTRING "${stubs}" ${from} -1 tail)
file(REMOVE_RECURSE ${WORK})
file(WRITE ${WORK}/01-pipes/pipes.cpp "${head}\n${tail}")
check(${WORK} rc out --json)
string(JSON summary GET "${out}" output)
string(JSON score GET "${out}" score)
if(NOT summary STREQUAL "5 of 6 functions are not written yet: TELL_CHILD, TELL_PARENT, TELL_WAIT, WAIT_CHILD, WAIT_PARENT"
   OR score EQUAL 0)
  fail("a fill-in with run_pipeline written must name the 5 unwritten functions and score its run_pipeline tests")
endif()
check(${WORK} rc out)
string(REGEX MATCHALL "5 of 6 functions are not written yet" said "${out}")
list(LENGTH said times)
if(NOT times EQUAL 1 OR NOT out MATCHES "TODO TELL_WAIT makes parent and child strictly alternate \\(0/3\\), needs TELL_WAIT"
   OR out MATCHES "ENOSYS")
  fail("the terminal must name the unwritten functions once and mark their tests TODO, without a wall of ENOSYS failures")
endif()
file(REMOVE_RECURSE ${WORK})
