# `ipclab grade --similarity`: two submissions of which one copied the other
# (names changed, comments gone) are reported; an independent solution is
# not; nor are students who left the same starter code untouched (the
# fill-in's own text and the chapter's contract do not count). Off by default, and a missing sim_c++
# is said, not fatal.  -DIPCLAB=<exe> -DROOT=<kit source> -DWORK=<build folder>
file(REMOVE_RECURSE ${WORK})
set(subs ${WORK}/submissions)
set(out ${WORK}/out)
file(COPY ${ROOT}/solutions/01-pipes DESTINATION ${subs}/ada)
file(READ ${ROOT}/solutions/01-pipes/pipes.cpp copied)
string(REGEX REPLACE "//[^\n]*" "" copied "${copied}")
foreach(rename started:children read_fd:rfd write_fd:wfd saved:err become:exec_child reap:wait_all
               to_child:down to_parent:up send_byte:put1 wait_byte:get1 close_if_open:shut valid:ok)
  string(REPLACE ":" ";" rename "${rename}")
  list(GET rename 0 from)
  list(GET rename 1 to)
  string(REPLACE "${from}" "${to}" copied "${copied}")
endforeach()
file(WRITE ${subs}/ben/01-pipes/pipes.cpp "${copied}")
file(COPY ${CMAKE_CURRENT_LIST_DIR}/similarity/independent_pipes.cpp DESTINATION ${subs}/cleo/01-pipes)
file(RENAME ${subs}/cleo/01-pipes/independent_pipes.cpp ${subs}/cleo/01-pipes/pipes.cpp)
# Two untouched fill-ins, each with a copy of the chapter's contract beside it.
foreach(id dan eve)
  file(COPY ${ROOT}/exercises/01-pipes DESTINATION ${subs}/${id})
  file(COPY ${ROOT}/chapters/01-pipes/pipes.hpp DESTINATION ${subs}/${id}/01-pipes)
endforeach()
set(class ${subs}/ada ${subs}/ben ${subs}/cleo ${subs}/dan ${subs}/eve)

function(grade)
  execute_process(COMMAND ${IPCLAB} grade ${class} --out ${out} -j 2 --chapters 01-pipes ${ARGN}
                  INPUT_FILE /dev/null OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr RESULT_VARIABLE rc)
  message(STATUS "ipclab grade ${ARGN} -> exit ${rc}\n${stdout}${stderr}")
  set(rc ${rc} PARENT_SCOPE)
  set(stdout "${stdout}" PARENT_SCOPE)
  set(stderr "${stderr}" PARENT_SCOPE)
endfunction()

grade()
if(NOT rc EQUAL 0 OR EXISTS ${out}/similarity.txt OR EXISTS ${out}/similarity.csv)
  message(FATAL_ERROR "without --similarity: graded (exit ${rc}), and no similarity report")
endif()

grade(--similarity --similarity-threshold 50)
file(READ ${out}/similarity.txt text)
file(READ ${out}/similarity.csv csv)
if(NOT rc EQUAL 0 OR NOT stdout MATCHES "similarity: 1 pair of submissions at or above 50%")
  message(FATAL_ERROR "--similarity: exit ${rc}, one pair expected:\n${stdout}\n${text}")
endif()
if(NOT text MATCHES "01-pipes:\n  ada ~ ben: (9[0-9]|100)%\n    ada/pipes.cpp is [0-9]+% ben/pipes.cpp\n"
   OR text MATCHES "(cleo|dan|eve)[ /]")
  message(FATAL_ERROR "the copy (ada ~ ben) and only it must be reported:\n${text}")
endif()
if(NOT csv MATCHES "^chapter,submission,file,of_submission,of_file,percent\n01-pipes,\"(ada|ben)\",\"pipes.cpp\",\"(ada|ben)\",\"pipes.cpp\",[0-9]+\n01-pipes,\"(ada|ben)\",\"pipes.cpp\",\"(ada|ben)\",\"pipes.cpp\",[0-9]+\n$")
  message(FATAL_ERROR "similarity.csv: ada's and ben's file, each way, nothing else:\n${csv}")
endif()

# Without sim_c++ on the PATH: graded all the same, the report says what to install.
file(MAKE_DIRECTORY ${WORK}/bin)
execute_process(COMMAND sh -c "for t in /usr/bin/* /usr/sbin/*; do case \${t##*/} in sim_*) ;; \
                               *) ln -sf \"$t\" \"$0\"/ ;; esac; done" ${WORK}/bin COMMAND_ERROR_IS_FATAL ANY)
set(ENV{PATH} ${WORK}/bin)
grade(--similarity)
file(READ ${out}/similarity.txt text)
if(NOT rc EQUAL 0 OR NOT stderr MATCHES "sim_c\\+\\+ is not installed \\(apt-get install similarity-tester\\)"
   OR NOT text MATCHES "apt-get install similarity-tester" OR EXISTS ${out}/similarity.csv)
  message(FATAL_ERROR "without sim_c++: exit ${rc} (0 expected), and the report must say how to install it:\n"
                      "${stderr}\n${text}")
endif()
message(STATUS "the copy reported, the independent solution and the untouched fill-ins not")
