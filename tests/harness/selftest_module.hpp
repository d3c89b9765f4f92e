// The contract of the harness self-tests' module: one function to call.
#pragma once

extern "C" {
/// Returns 42: proof the module was loaded in the call.
int selftest_answer(void);
}
