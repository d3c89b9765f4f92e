# Runs `ipclab check CHAPTER --exercises TREE --json` and checks the score:
# EXPECT=full (every test passes, exit 0) or EXPECT=zero (score 0, exit 1).
execute_process(COMMAND ${IPCLAB} check ${CHAPTER} --exercises ${TREE} --json
                OUTPUT_VARIABLE report ERROR_VARIABLE errors RESULT_VARIABLE rc)
string(JSON score ERROR_VARIABLE bad GET "${report}" score)
string(JSON max GET "${report}" max_score)
string(JSON count LENGTH "${report}" tests)
if(bad)
  message(FATAL_ERROR "no report from ipclab check (exit ${rc}):\n${errors}\n${report}")
endif()
message(STATUS "${CHAPTER} on ${TREE}: ${score}/${max} over ${count} tests, exit ${rc}")
if(EXPECT STREQUAL "full")
  if(NOT score EQUAL max OR NOT rc EQUAL 0 OR max EQUAL 0)
    message(FATAL_ERROR "the reference solution must score full marks:\n${report}\n${errors}")
  endif()
elseif(NOT score EQUAL 0 OR NOT rc EQUAL 1)
  message(FATAL_ERROR "this fill-in must score 0 and exit 1:\n${report}\n${errors}")
endif()
# EXPECT_OUTPUT: a regular expression some test's output must match (what
# the student is told happened).
if(DEFINED EXPECT_OUTPUT AND NOT report MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "no test output says /${EXPECT_OUTPUT}/:\n${report}")
endif()
