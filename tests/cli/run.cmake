# Runs ipclab once and checks its exit code and output.
#   -DIPCLAB=<exe> -DARGS=<arguments separated by |> -DEXIT=<expected code>
#   [-DMATCH=<regex the output must match>] [-DNOMATCH=<regex it must not match>]
# stdin is /dev/null; stdout and stderr are checked together.
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${IPCLAB} ${args} INPUT_FILE /dev/null
                OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc)
message(STATUS "ipclab ${args} -> exit ${rc}\n${out}")
if(NOT rc STREQUAL EXIT)
  message(FATAL_ERROR "expected exit code ${EXIT}, got ${rc}")
endif()
if(DEFINED MATCH AND NOT out MATCHES "${MATCH}")
  message(FATAL_ERROR "the output does not match: ${MATCH}")
endif()
if(DEFINED NOMATCH AND out MATCHES "${NOMATCH}")
  message(FATAL_ERROR "the output must not match: ${NOMATCH}")
endif()
