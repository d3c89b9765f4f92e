# `ipclab check CH --test PATTERN`: runs the test of that number, or those
# whose name contains it; keeps each test's number; the JSON says the run
# is partial; a pattern matching nothing is a usage error listing the tests.
#   -DIPCLAB=<exe> -DSOLUTIONS=<solutions tree>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
function(check_json rc_var json_var)
  execute_process(COMMAND ${IPCLAB} check pipes --exercises ${SOLUTIONS} --json ${ARGN}
                  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "ipclab check pipes ${ARGN} -> exit ${rc}\n${out}${err}")
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${json_var} "${out}${err}" PARENT_SCOPE)
endfunction()

check_json(rc out --test 3)
string(JSON count LENGTH "${out}" tests)
string(JSON number GET "${out}" tests 0 number)
string(JSON partial GET "${out}" partial)
string(JSON total GET "${out}" tests_total)
if(NOT rc EQUAL 0 OR NOT count EQUAL 1 OR NOT number STREQUAL "3" OR NOT partial OR total LESS 4)
  fail("--test 3 must run test number 3 alone and say the run is partial (exit 0)")
endif()

check_json(rc out --test tell)
string(JSON count LENGTH "${out}" tests)
foreach(i RANGE 1 ${count})
  math(EXPR at "${i} - 1")
  string(JSON name GET "${out}" tests ${at} name)
  string(TOLOWER "${name}" lower)
  if(NOT lower MATCHES "tell")
    fail("--test tell ran '${name}', whose name does not contain it")
  endif()
endforeach()
if(count LESS 2 OR NOT rc EQUAL 0)
  fail("--test tell must run every test whose name contains TELL, in any case")
endif()

check_json(rc out)
string(JSON partial ERROR_VARIABLE none GET "${out}" partial)
if(NOT none)
  fail("a run of every test must not say it is partial")
endif()

check_json(rc out --test no-such-test)
if(NOT rc EQUAL 2 OR NOT out MATCHES "no test matches 'no-such-test'.*  1  one command")
  fail("a pattern that matches nothing must exit 2 and list the tests by number")
endif()
