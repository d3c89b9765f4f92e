# A course's policy: a grading config (chapters, points, visibility, late
# policy), submission times from a CSV and from Gradescope's metadata, a
# roster, the Canvas and Moodle gradebooks and each feedback.md, checked
# against the scores the work deserves.  -DIPCLAB=<exe> -DROOT=<kit source> -DWORK=<build folder>
file(REMOVE_RECURSE ${WORK})
set(subs ${WORK}/submissions)
set(sol ${ROOT}/solutions)
file(COPY ${sol}/01-pipes ${sol}/02-popen DESTINATION ${subs}/ada)        # everything, on time
file(COPY ${ROOT}/exercises/01-pipes DESTINATION ${subs}/ben)             # the pristine fill-in, late
file(COPY ${sol}/01-pipes/pipes.cpp DESTINATION ${subs}/cleo)             # chapter 1 only, 2 days late
file(WRITE ${WORK}/grading.toml [=[
chapters = ["01-pipes", "02-popen"]
[points]
"01-pipes" = 10
"02-popen" = 20
[visibility]
"02-popen" = "after_due_date"
[tests."01-pipes"."one command: its output reaches out_fd and its status is returned"]
visibility = "hidden"
[late]
due = "2026-12-01T00:00:00Z"
percent_per_day = 10
max_days = 3
]=])
file(WRITE ${WORK}/times.csv "submission,submitted_at\nada,2026-11-30T23:00:00Z\nben,2026-12-04T10:00:00Z\n"
                             "cleo,2026-12-02T12:00:00+01:00\n")
file(WRITE ${WORK}/roster.csv "id,name,submission\ns1,\"Lovelace, Ada\",ada\ns2,Cleo,cleo\ns3,Dan,dan.zip\n")
set(out ${WORK}/out)
execute_process(COMMAND ${IPCLAB} grade ${subs}/ada ${subs}/ben ${subs}/cleo --out ${out} -j 2
                        --config ${WORK}/grading.toml --times ${WORK}/times.csv --roster ${WORK}/roster.csv
                        --format csv,canvas,moodle --assignment "IPC lab"
                INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
message(STATUS "ipclab grade -> exit ${rc}\n${stdout}${stderr}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ipclab grade --config must grade the class")
endif()

# score, raw score (before the penalty), max_score
set(expect_ada 30 30 30)
set(expect_ben 0 0 30)
set(expect_cleo 8 10 30)
foreach(id ada ben cleo)
  file(READ ${out}/${id}/results.json r)
  string(JSON score GET "${r}" score)
  string(JSON max GET "${r}" max_score)
  string(JSON raw ERROR_VARIABLE none GET "${r}" extra_data raw_score)
  if(none)
    set(raw ${score})
  endif()
  string(JSON pipes_max GET "${r}" extra_data chapters 01-pipes max_score)
  string(JSON popen_visibility GET "${r}" tests 20 visibility)
  if(NOT "${score};${raw};${max}" STREQUAL "${expect_${id}}" OR NOT pipes_max EQUAL 10
     OR NOT popen_visibility STREQUAL "after_due_date")
    message(FATAL_ERROR "${id}: ${score} (raw ${raw}) of ${max}, expected ${expect_${id}}; "
                        "02-popen's tests ${popen_visibility}:\n${r}")
  endif()
endforeach()
file(READ ${out}/ada/results.json r)
string(JSON first_name GET "${r}" tests 0 name)
string(JSON first_visibility GET "${r}" tests 0 visibility)
string(JSON second_visibility GET "${r}" tests 1 visibility)
if(NOT first_name MATCHES "^01-pipes: one command" OR NOT first_visibility STREQUAL "hidden"
   OR NOT second_visibility STREQUAL "visible")
  message(FATAL_ERROR "[tests.\"01-pipes\".\"one command...\"] must hide that test alone:\n${r}")
endif()
file(READ ${out}/cleo/results.json r)
if(NOT r MATCHES "Late by 2 days: 20% off \\(score before the penalty: 10/30\\)")
  message(FATAL_ERROR "cleo's output must say the penalty:\n${r}")
endif()

file(READ ${out}/canvas.csv canvas)
file(READ ${out}/moodle.csv moodle)
string(CONCAT want_canvas "Student,ID,SIS User ID,SIS Login ID,Section,IPC lab\nPoints Possible,,,,,30\n"
                "\"Lovelace, Ada\",s1,,,,30\nCleo,s2,,,,8\nDan,s3,,,,0\n")
set(want_moodle "ID number,Full name,IPC lab\ns1,\"Lovelace, Ada\",30\ns2,Cleo,8\ns3,Dan,0\n")
if(NOT canvas STREQUAL want_canvas OR NOT moodle STREQUAL want_moodle)
  message(FATAL_ERROR "canvas.csv:\n${canvas}\nmoodle.csv:\n${moodle}")
endif()
file(STRINGS ${out}/grades.csv csv)
if(NOT csv MATCHES "cleo,cleo,10,0,8,30,26.7,10,20,graded")
  message(FATAL_ERROR "grades.csv (percent column):\n${csv}")
endif()

file(READ ${out}/ben/feedback.md ben)
file(READ ${out}/cleo/feedback.md cleo)
file(READ ${ROOT}/chapters/01-pipes/chapter.toml toml)
string(REGEX MATCH "hints = \\[\n  \"([^\"]+)\"" unused "${toml}")
set(hint "${CMAKE_MATCH_1}")
string(FIND "${ben}" "Hint: ${hint}" at_hint)
if(NOT ben MATCHES "^# Feedback: ben\n\nScore: \\*\\*0/30\\*\\*"
   OR NOT ben MATCHES "## 01-pipes: 0/10\n\nFailed:\n\n- \\*\\*" OR at_hint EQUAL -1
   OR NOT cleo MATCHES "late by 2 days: 20% off a score of 10"
   OR NOT cleo MATCHES "## 01-pipes: 10/10\n\nPassed:\n\n- "
   OR NOT cleo MATCHES "## 02-popen: 0/20\n\nnot submitted: no folder 02-popen/"
   OR cleo MATCHES "Hint:" OR NOT cleo MATCHES "[0-9]+ more tests shown after the due date")
  message(FATAL_ERROR "feedback.md:\n${ben}\n----\n${cleo}")
endif()

# Gradescope's metadata: the time and the due date of the one submission.
file(WRITE ${WORK}/submission_metadata.json [=[
{"created_at": "2026-12-02T12:00:00.123456-05:00",
 "assignment": {"due_date": "2026-12-01T00:00:00.000000+00:00", "late_due_date": null}}
]=])
execute_process(COMMAND ${IPCLAB} grade ${subs}/cleo --out ${WORK}/gradescope --config ${WORK}/grading.toml
                        --metadata ${WORK}/submission_metadata.json
                INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
file(READ ${WORK}/gradescope/cleo/results.json r)
string(JSON score GET "${r}" score)
string(JSON days GET "${r}" extra_data late days)
if(NOT rc EQUAL 0 OR NOT score EQUAL 8 OR NOT days EQUAL 2)
  message(FATAL_ERROR "with Gradescope's metadata (2 days late): ${score}, ${days} days:\n${r}")
endif()

# A config that says what Gradescope does not know is refused, naming the key.
file(WRITE ${WORK}/bad.toml "[visibility]\n\"01-pipes\" = \"secret\"\n")
execute_process(COMMAND ${IPCLAB} grade ${subs}/ada --out ${WORK}/unused --config ${WORK}/bad.toml
                INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
if(NOT rc EQUAL 2 OR NOT stderr MATCHES "visibility.01-pipes is 'secret'")
  message(FATAL_ERROR "a bad visibility must be refused (exit ${rc}): ${stderr}")
endif()
message(STATUS "config, late policy (CSV and Gradescope), roster, Canvas, Moodle and feedback.md as deserved")
