# ipclab_add_chapter(NN-slug): the demo, the graded test binary, the
# compile-only exercise/solution targets (for clangd) and the kit's
# self-tests of one chapter.

set(IPCLAB_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)

function(ipclab_add_chapter folder)
  string(REGEX REPLACE "^[0-9][0-9]-" "" slug ${folder})
  set(dir ${IPCLAB_ROOT}/chapters/${folder})
  set(out ${CMAKE_BINARY_DIR}/chapters/${folder})
  foreach(required demo.cpp test_${slug}.cpp ${slug}.hpp chapter.toml)
    if(NOT EXISTS ${dir}/${required})
      set(level WARNING)
      if(IPCLAB_WERROR)
        set(level FATAL_ERROR)
      endif()
      message(${level} "chapters/${folder} has no ${required}: chapter skipped")
      return()
    endif()
  endforeach()

  add_executable(demo-${slug} ${dir}/demo.cpp)
  target_link_libraries(demo-${slug} PRIVATE ipclab_support ipclab_warnings)
  set_target_properties(demo-${slug} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${out})

  file(GENERATE OUTPUT ${out}/chapter_name.cpp CONTENT
    "namespace ipclab::sandbox {\nextern const char* const chapter_name;\nconst char* const chapter_name = \"${folder}\";\n}\n")
  add_executable(test-${slug} ${dir}/test_${slug}.cpp ${out}/chapter_name.cpp)
  target_include_directories(test-${slug} PRIVATE ${dir})
  target_link_libraries(test-${slug} PRIVATE ipclab_harness ipclab_warnings)
  set_target_properties(test-${slug} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${out})

  # Never built by default (a student's half-written file must not break the
  # build); present so compile_commands.json covers the fill-in.
  foreach(tree exercises solutions)
    file(GLOB sources CONFIGURE_DEPENDS ${IPCLAB_ROOT}/${tree}/${folder}/*.cpp)
    if(sources)
      add_library(${tree}-${slug} OBJECT EXCLUDE_FROM_ALL ${sources})
      target_include_directories(${tree}-${slug} PRIVATE ${dir})
      target_link_libraries(${tree}-${slug} PRIVATE ipclab_support)
    endif()
  endforeach()

  set_property(GLOBAL APPEND PROPERTY IPCLAB_BUILT_CHAPTERS ${folder})
  set_property(GLOBAL APPEND PROPERTY IPCLAB_MANIFEST_CHAPTERS
    "\"${folder}\": {\"test\": \"$<TARGET_FILE:test-${slug}>\", \"demo\": \"$<TARGET_FILE:demo-${slug}>\"}")

  # cmake -P ignores every -D that follows it: the script comes last.
  set(check ${CMAKE_COMMAND} -DIPCLAB=$<TARGET_FILE:ipclab> -DCHAPTER=${folder})
  set(script -P ${IPCLAB_ROOT}/tests/expect_score.cmake)
  add_test(NAME ${folder}.solution-full-marks
           COMMAND ${check} -DTREE=${IPCLAB_ROOT}/solutions -DEXPECT=full ${script})
  add_test(NAME ${folder}.fill-in-scores-zero
           COMMAND ${check} -DTREE=${IPCLAB_ROOT}/exercises -DEXPECT=zero ${script})
  # The same without namespaces (IPCLAB_ISOLATION=off): the fallback that
  # kills, reaps and removes call by call must score the same.
  add_test(NAME ${folder}.solution-full-marks-no-namespaces
           COMMAND ${CMAKE_COMMAND} -E env IPCLAB_ISOLATION=off
                   ${check} -DTREE=${IPCLAB_ROOT}/solutions -DEXPECT=full ${script})
  add_test(NAME ${folder}.demo-runs COMMAND demo-${slug})
  set_tests_properties(${folder}.demo-runs PROPERTIES
    TIMEOUT 60 ENVIRONMENT "PAGER=cat;IPCLAB_NONINTERACTIVE=1"
    # Demos run on the machine itself: the clean check waits for them too.
    FIXTURES_REQUIRED machine-clean)
  set_tests_properties(${folder}.solution-full-marks ${folder}.fill-in-scores-zero
    ${folder}.solution-full-marks-no-namespaces PROPERTIES TIMEOUT 300 FIXTURES_REQUIRED machine-clean)
endfunction()

# Writes <build>/ipclab-build.json: what the CLI needs to compile a fill-in
# into a module and find each chapter's prebuilt binaries.
function(ipclab_write_build_manifest)
  # The shipped fill-ins, as first configured: `ipclab reset` restores from
  # here when the kit is not a git checkout.
  if(NOT EXISTS ${CMAKE_BINARY_DIR}/pristine)
    file(COPY ${IPCLAB_ROOT}/exercises/ DESTINATION ${CMAKE_BINARY_DIR}/pristine)
  endif()
  get_property(chapters GLOBAL PROPERTY IPCLAB_MANIFEST_CHAPTERS)
  list(JOIN chapters ",\n    " chapter_entries)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/ipclab-build.json CONTENT "{
  \"source_dir\": \"${IPCLAB_ROOT}\",
  \"binary_dir\": \"${CMAKE_BINARY_DIR}\",
  \"cxx\": \"${CMAKE_CXX_COMPILER}\",
  \"cxx_flags\": \"-std=c++20 -fPIC -pipe -g -O1 -Wall -Wextra\",
  \"support_include\": \"${IPCLAB_ROOT}/support/include\",
  \"support_lib\": \"$<TARGET_FILE:ipclab_support>\",
  \"harness_include\": \"${IPCLAB_ROOT}/grader/harness/include\",
  \"harness_lib\": \"$<TARGET_FILE:ipclab_harness_archive>\",
  \"pristine_dir\": \"${CMAKE_BINARY_DIR}/pristine\",
  \"chapters\": {
    ${chapter_entries}
  }
}
")
endfunction()
