# `ipclab check CH --fail-fast` stops at the first failing test; its JSON
# says the run is partial. On the shipped fill-in the very first test fails.
#   -DIPCLAB=<exe> -DEXERCISES=<the shipped fill-in tree>
include(${CMAKE_CURRENT_LIST_DIR}/common.cmake)
execute_process(COMMAND ${IPCLAB} check pipes --exercises ${EXERCISES} --json --fail-fast
                INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "exit ${rc}\n${out}${err}")
string(JSON count LENGTH "${out}" tests)
string(JSON status GET "${out}" tests 0 status)
string(JSON partial GET "${out}" partial)
if(NOT rc EQUAL 1 OR NOT count EQUAL 1 OR NOT status STREQUAL "failed" OR NOT partial)
  fail("--fail-fast must stop after the first failing test, exit 1 and say the run is partial")
endif()
