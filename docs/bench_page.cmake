# Runs `ipclab-bench --plot` and writes the site's page of its figures.
#   cmake -DBENCH=<ipclab-bench> -DGEN=<docs gen folder> -P bench_page.cmake
# Writes GEN/bench.svg and GEN/bench.md (the page bench_results).
execute_process(COMMAND ${BENCH} --plot ${GEN}/bench.svg
                OUTPUT_VARIABLE table ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ipclab-bench failed (exit ${rc}):\n${err}")
endif()
string(TIMESTAMP when "%Y-%m-%d" UTC)
cmake_host_system_information(RESULT cores QUERY NUMBER_OF_LOGICAL_CORES)
cmake_host_system_information(RESULT os QUERY OS_RELEASE)
file(WRITE ${GEN}/bench.md "# What each kind costs, measured {#bench_results}

These figures come from `ipclab bench`, run while this site was built
(${when}, Linux ${os}, ${cores} CPUs). They are one machine's figures on one
day: run `./ipclab bench` to see your own. The mechanisms and the questions
behind them are in @ref ch10_compare.

Reading the plot: on the left, how long a 64-byte and a 1 KiB message take
to go to another process and back (log scale, lower is better); on the
right, how many bytes per second one process can hand to another in 4 KiB
and 64 KiB pieces (log scale, higher is better), with a plain memcpy() as
the ceiling. The rings in shared memory come closest to it, because after
the set-up no byte passes through the kernel; the message queues stop at
the kernel's message size limit.

\\image html bench.svg \"ipclab bench on the machine that built this site\"

The full report, with the book's timing tables of APUE 15.9 and 15.10
beside this machine's:

```text
${table}```
")
