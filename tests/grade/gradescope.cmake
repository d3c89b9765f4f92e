# The Gradescope autograder in a scratch folder laid out like /autograder:
# run_autograder grades a sample submission into results/results.json; with
# no grader installed it still writes a results.json scoring 0; make-bundle
# makes a zip with setup.sh and run_autograder at its root and no solutions.
#   -DIPCLAB=<exe> -DROOT=<kit source> -DWORK=<build folder>
file(REMOVE_RECURSE ${WORK})
set(ag ${WORK}/autograder)
file(MAKE_DIRECTORY ${ag}/source ${ag}/results)
file(WRITE ${ag}/source/gradescope-chapters "01-pipes\n")
# Gradescope puts the uploaded files in submission/: here the solution's file alone.
file(COPY ${ROOT}/solutions/01-pipes/pipes.cpp DESTINATION ${ag}/submission)

function(autograde ipclab)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env IPCLAB_AUTOGRADER_ROOT=${ag}
                          IPCLAB_AUTOGRADER_IPCLAB=${ipclab} ${ARGN} ${ROOT}/grader/gradescope/run_autograder
                  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  set(stdout "${out}" PARENT_SCOPE)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "run_autograder exited ${rc}:\n${out}")
  endif()
  file(READ ${ag}/results/results.json r)
  string(JSON score ERROR_VARIABLE bad GET "${r}" score)
  if(bad)
    message(FATAL_ERROR "results/results.json does not parse (${bad}):\n${r}")
  endif()
  set(results "${r}" PARENT_SCOPE)
  set(score ${score} PARENT_SCOPE)
endfunction()

autograde(${IPCLAB})
string(JSON max GET "${results}" max_score)
string(JSON tests LENGTH "${results}" tests)
if(NOT score EQUAL max OR max EQUAL 0 OR tests EQUAL 0)
  message(FATAL_ERROR "the solution's file must score full marks:\n${results}")
endif()
if(NOT stdout MATCHES "graded 1 submission")
  message(FATAL_ERROR "Gradescope's debug box (stdout) must show what grading said:\n${stdout}")
endif()
message(STATUS "sample submission: ${score}/${max} over ${tests} tests")

# With hidden tests in the bundle (source/hidden/), they count and wait for the due date.
file(COPY ${ROOT}/tests/grade/hidden/ DESTINATION ${ag}/source/hidden)
autograde(${IPCLAB})
string(JSON hidden_max GET "${results}" max_score)
if(NOT score EQUAL hidden_max OR hidden_max LESS_EQUAL max OR NOT results MATCHES "\"after_due_date\"")
  message(FATAL_ERROR "with source/hidden the hidden tests must count, after the due date:\n${results}")
endif()
message(STATUS "hidden tests in the bundle: ${score}/${hidden_max}")
file(REMOVE_RECURSE ${ag}/source/hidden)

# The course's policy in the bundle and Gradescope's metadata: late by a day, 10% off.
file(WRITE ${ag}/source/grading.toml "[points]\n\"01-pipes\" = 10\n[late]\npercent_per_day = 10\n")
file(WRITE ${ag}/submission_metadata.json
     "{\"created_at\": \"2026-12-01T12:00:00+00:00\", \"assignment\": {\"due_date\": \"2026-12-01T00:00:00+00:00\"}}")
autograde(${IPCLAB})
if(NOT score EQUAL 9 OR NOT results MATCHES "Late by 1 day: 10% off")
  message(FATAL_ERROR "grading.toml and submission_metadata.json must apply (9 of 10):\n${results}")
endif()
file(REMOVE ${ag}/source/grading.toml ${ag}/submission_metadata.json)
message(STATUS "the bundle's grading.toml and Gradescope's metadata: late penalty applied")

autograde(${WORK}/no-ipclab-here)
if(NOT score EQUAL 0 OR NOT results MATCHES "could not grade this submission: the grader is not installed")
  message(FATAL_ERROR "without a grader, results.json must score 0 and say why:\n${results}")
endif()
message(STATUS "no grader installed: results.json still written, score 0")

# Grading that never ends: the budget runs out, and results.json says so in time.
file(WRITE ${WORK}/hang.sh "#!/bin/sh\nexec sleep 600\n")
file(CHMOD ${WORK}/hang.sh PERMISSIONS OWNER_READ OWNER_EXECUTE)
string(TIMESTAMP before "%s")
autograde(${WORK}/hang.sh IPCLAB_AUTOGRADER_BUDGET=2)
string(TIMESTAMP after "%s")
math(EXPR took "${after} - ${before}")
if(NOT score EQUAL 0 OR NOT results MATCHES "longer than its budget of 2 s" OR took GREATER 30)
  message(FATAL_ERROR "a hung grading must end at its budget (took ${took} s):\n${results}")
endif()
message(STATUS "grading past its budget: results.json written after ${took} s")

# Hidden tests of a chapter the bundle does not grade: refused.
execute_process(COMMAND ${ROOT}/grader/gradescope/make-bundle ${WORK}/bundle.zip 02-popen
                        ${ROOT}/tests/grade/hidden
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT out MATCHES "hidden tests of 01-pipes, which this bundle does not grade")
  message(FATAL_ERROR "make-bundle must refuse hidden tests of chapters it does not bundle (exit ${rc}):\n${out}")
endif()
execute_process(COMMAND ${ROOT}/grader/gradescope/make-bundle ${WORK}/bundle.zip 01-pipes
                        ${ROOT}/tests/grade/hidden
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
if(NOT out MATCHES "Total points: ([0-9]+)" OR NOT CMAKE_MATCH_1 EQUAL hidden_max OR EXISTS ${WORK}/bundle.zip.d)
  message(FATAL_ERROR "make-bundle must say the total points (${hidden_max}) and leave no staging folder:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E tar tf ${WORK}/bundle.zip OUTPUT_VARIABLE listing)
if(NOT rc EQUAL 0 OR NOT listing MATCHES "(^|\n)setup.sh\n" OR NOT listing MATCHES "(^|\n)run_autograder\n"
   OR NOT listing MATCHES "(^|\n)gradescope-chapters\n" OR NOT listing MATCHES "chapters/01-pipes/"
   OR NOT listing MATCHES "(^|\n)hidden/01-pipes/test_pipes_hidden.cpp\n"
   OR NOT listing MATCHES "(^|\n)bench/mechanisms/CMakeLists.txt\n"
   OR listing MATCHES "(^|\n)(solutions|build)/")
  message(FATAL_ERROR "make-bundle (exit ${rc}): ${out}\nthe zip holds:\n${listing}")
endif()
message(STATUS "bundle: setup.sh and run_autograder at the root, hidden tests, no solutions")
