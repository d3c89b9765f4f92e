# A grading config's per-test time limits (time_scale: a test's calls get
# that many times their time, within the kit's bounds), and its names
# checked before grading: a chapter or test that does not exist is refused
# (exit 2), naming it and the closest existing name, and nothing is graded.
#   -DIPCLAB=<exe> -DROOT=<kit source> -DWORK=<build folder>
file(REMOVE_RECURSE ${WORK})
file(COPY ${ROOT}/solutions/01-pipes DESTINATION ${WORK}/submissions/ada)
set(slow "a call limited to 1 s whose body sleeps 2 s")
set(first "one command: its output reaches out_fd and its status is returned")

# grade(<name> <config text>): grades ada into ${WORK}/<name> with that config.
function(grade name text)
  file(WRITE ${WORK}/${name}.toml "chapters = [\"01-pipes\"]\nhidden = \"${CMAKE_CURRENT_LIST_DIR}/time_limits\"\n${text}")
  execute_process(COMMAND ${IPCLAB} grade ${WORK}/submissions/ada --out ${WORK}/${name}
                          --config ${WORK}/${name}.toml
                  INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
  message(STATUS "${name}: exit ${rc}\n${stdout}${stderr}")
  set(rc ${rc} PARENT_SCOPE)
  set(stderr "${stderr}" PARENT_SCOPE)
  if(EXISTS ${WORK}/${name}/ada/results.json)
    file(READ ${WORK}/${name}/ada/results.json r)
    string(JSON score GET "${r}" score)
    string(JSON max GET "${r}" max_score)
    set(score ${score} PARENT_SCOPE)
    set(max ${max} PARENT_SCOPE)
    set(results "${r}" PARENT_SCOPE)
  endif()
endfunction()

# More time for the slow hidden test (and less, still enough, for a test of the chapter's own).
grade(scaled "[tests.\"01-pipes\".\"[hidden] ${slow}\"]\ntime_scale = 4\n"
             "[tests.\"01-pipes\".\"${first}\"]\ntime_scale = 0.5\n")
if(NOT rc EQUAL 0 OR NOT score EQUAL max)
  message(FATAL_ERROR "time_scale = 4 must let the 2 s call finish: ${score}/${max}\n${results}")
endif()
# The same without: the call is stopped at its 1 s.
grade(unscaled "")
math(EXPR one_less "${max} - 1")
if(NOT rc EQUAL 0 OR NOT score EQUAL one_less OR NOT results MATCHES "time limit|timed out")
  message(FATAL_ERROR "without time_scale the slow test must time out: ${score}/${max}\n${results}")
endif()

# refused(<name> <config text> <regex of the message>): exit 2, the message, nothing graded.
function(refused name text pattern)
  grade(${name} "${text}")
  if(NOT rc EQUAL 2 OR NOT stderr MATCHES "${pattern}" OR EXISTS ${WORK}/${name}/ada)
    message(FATAL_ERROR "${name}: exit ${rc} (2 expected), before grading, saying '${pattern}':\n${stderr}")
  endif()
endfunction()
refused(beyond "[tests.\"01-pipes\".\"${first}\"]\ntime_scale = 10\n"
        "time_scale must be a number from 0.5 to 4")
string(REPLACE "returned" "returns" typo "${first}")
refused(bad-test "[tests.\"01-pipes\".\"${typo}\"]\npoints = 2\n"
        "the test \\[tests.\"01-pipes\"\\]. '${typo}' does not exist \\(closest: '${first}'\\)")
refused(bad-hidden-test "[tests.\"01-pipes\".\"[hidden] a call limited to 2 s\"]\npoints = 2\n"
        "does not exist \\(closest: '\\[hidden\\] ${slow}'\\)")
refused(bad-chapter-key "[points]\n\"01-pipe\" = 10\n"
        "the chapter \\[points\\]. '01-pipe' does not exist \\(closest: '01-pipes'\\)")
file(WRITE ${WORK}/bad-chapter.toml "chapters = [\"pipez\"]\n")
execute_process(COMMAND ${IPCLAB} grade ${WORK}/submissions/ada --out ${WORK}/bad-chapter
                        --config ${WORK}/bad-chapter.toml
                INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT stderr MATCHES "the chapter in chapters 'pipez' does not exist \\(closest: '[0-9]+-pipes'\\)")
  message(FATAL_ERROR "chapters = [\"pipez\"]: exit ${rc}:\n${stderr}")
endif()
message(STATUS "time_scale gives a test more time within its bounds; bad names refused before grading")
