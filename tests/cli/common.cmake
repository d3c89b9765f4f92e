# Helpers for the CLI's test scripts (cmake -P): a throw-away kit and a way
# to run ipclab in it. Every script gets -DIPCLAB=<exe> -DWORK=<folder under
# the build dir> -DFIXTURES=<tests/cli/fixtures>.

# A kit made of the fixture chapter, under ${WORK}: sources, a build folder
# holding the pristine fill-ins, the manifest, and a state folder.
function(make_fixture_kit)
  file(REMOVE_RECURSE ${WORK})
  file(COPY ${FIXTURES}/kit/ DESTINATION ${WORK}/src)
  file(COPY ${FIXTURES}/kit/exercises/ DESTINATION ${WORK}/build/pristine)
  file(WRITE ${WORK}/manifest.json "{
  \"source_dir\": \"${WORK}/src\", \"binary_dir\": \"${WORK}/build\",
  \"cxx\": \"c++\", \"cxx_flags\": \"\", \"support_include\": \"\", \"support_lib\": \"\",
  \"pristine_dir\": \"${WORK}/build/pristine\",
  \"chapters\": {\"01-pipes\": {\"test\": \"${WORK}/none\",
                \"demo\": \"${WORK}/src/chapters/01-pipes/fake-demo.sh\"}}
}")
endfunction()

# ipclab(<rc var> <output var> ARGS...): runs ipclab on the fixture kit
# (stdin from /dev/null, stdout and stderr together).
function(ipclab rc_var out_var)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env IPCLAB_BUILD_MANIFEST=${WORK}/manifest.json
            IPCLAB_STATE_DIR=${WORK}/state NO_COLOR=1 ${IPCLAB} ${ARGN}
    INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
  message(STATUS "ipclab ${ARGN} -> exit ${rc}\n${out}")
  set(${rc_var} ${rc} PARENT_SCOPE)
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# expect_output(<regex> <why> ARGS...): runs ipclab ARGS on the fixture kit;
# ends the test, saying <why>, unless its output matches <regex>.
function(expect_output regex why)
  ipclab(rc out ${ARGN})
  if(NOT out MATCHES "${regex}")
    fail("${why}")
  endif()
endfunction()

# fail(text...): ends the test, saying what went wrong.
function(fail)
  string(JOIN "" text ${ARGN})
  message(FATAL_ERROR "${text}")
endfunction()
