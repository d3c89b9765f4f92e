# `ipclab demo pipes --trace` on the real kit: the fd tables a teacher draws.
# Each pipe end is named (read/write) with the process holding the other
# end, and a descriptor the demo inherited (here fd 10, opened by the shell
# that starts it) is left out of the tables. -DIPCLAB=<exe>
execute_process(
  COMMAND bash -c "exec 10</dev/null; exec \"$0\" demo pipes --trace" ${IPCLAB}
  INPUT_FILE /dev/null OUTPUT_VARIABLE out ERROR_VARIABLE out RESULT_VARIABLE rc
  TIMEOUT 60)
message(STATUS "ipclab demo pipes --trace -> ${rc}\n${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the demo must run to its end with --trace")
endif()
# (Descriptor numbers vary: the program running the test may pass its own.
# The child's view races with the parent's close, so both views are right.)
foreach(wanted
    "fd table after pipe\\(\\):\n +fd [0-9]+ +read end of pipe ([0-9]+) +write end: fd [0-9]+ here\n +fd [0-9]+ +write end of pipe [0-9]+ +read end: fd [0-9]+ here"
    "fd table after the child closed its write end:\n +fd [0-9]+ +read end of pipe [0-9]+ +(write end: fd [0-9]+ in [0-9]+ \\(our parent\\)|no write end open: read\\(\\) returns 0, end-of-file)"
    "fd table after the parent closed its read end:\n +fd [0-9]+ +write end of pipe [0-9]+ +read end: fd [0-9]+ in [0-9]+ \\(our child\\)"
    "left out, as inherited unchanged [^\n]*: fd 0 1 2 [^\n]*10")
  if(NOT out MATCHES "${wanted}")
    message(FATAL_ERROR "the trace must show: ${wanted}")
  endif()
endforeach()
if(out MATCHES "\n +fd 10 ")
  message(FATAL_ERROR "fd 10 came from the shell, not the demo: the tables must leave it out")
endif()
