# `ipclab check` on the default exercises/ tree records its score, which
# `ipclab list` then shows; a check of another tree records nothing.
#   -DIPCLAB=<exe> -DWORK=<state folder> -DSOLUTIONS=<solutions tree>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
file(REMOVE_RECURSE ${WORK})
function(run rc_var out_var)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env IPCLAB_STATE_DIR=${WORK} ${IPCLAB} ${ARGN}
                  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  message(STATUS "ipclab ${ARGN} -> exit ${rc}\n${err}")
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

run(rc out check pipes --exercises ${SOLUTIONS} --json)
if(EXISTS ${WORK}/state.json)
  fail("a check of --exercises ${SOLUTIONS} must not be recorded as the student's progress")
endif()
run(rc out check pipes --json)
string(JSON max GET "${out}" max_score)
run(rc out list --json)
string(JSON status GET "${out}" 0 status)
string(JSON score GET "${out}" 0 last_check score)
if(NOT status STREQUAL "score 0/${max}" OR NOT score EQUAL 0)
  fail("after checking the shipped fill-in, list must say score 0/${max}, it says: ${status}")
endif()
file(REMOVE_RECURSE ${WORK})
