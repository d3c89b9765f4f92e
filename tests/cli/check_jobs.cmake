# `ipclab check CH --jobs N`: the chapter's tests in N runs at once report
# exactly what one run reports (the numbers in outputs aside: process ids
# and pipe inodes differ between any two runs), on the solution, on the
# shipped fill-in (every function named once as not written, across runs)
# and on a partial run (--test).
#   -DIPCLAB=<exe> -DEXERCISES=<shipped fill-ins> -DSOLUTIONS=<solutions>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
# report(<var> ARGS...): the report of `check pipes --json ARGS...`, its
# exit code first, without what differs between any two runs.
function(report out_var)
  execute_process(COMMAND ${IPCLAB} check pipes --json ${ARGN}
                  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "ipclab check pipes --json ${ARGN} -> exit ${rc}\n${out}${err}")
  string(JSON out ERROR_VARIABLE bad REMOVE "${out}" execution_time)
  if(bad)
    fail("check ${ARGN} printed no report: ${bad}")
  endif()
  string(REGEX REPLACE "[0-9]+" "#" out "${out}")
  string(REGEX REPLACE " +" " " out "${out}")
  set(${out_var} "${rc} ${out}" PARENT_SCOPE)
endfunction()

foreach(case "${SOLUTIONS}" "${EXERCISES}" "${SOLUTIONS}|--test|tell")
  string(REPLACE "|" ";" args "--exercises|${case}")
  report(one ${args} --jobs 1)
  report(three ${args} --jobs 3)
  if(NOT one STREQUAL three)
    fail("check ${args} with --jobs 3 must report what --jobs 1 reports")
  endif()
endforeach()
