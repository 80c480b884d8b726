// libFuzzer's entry point for programs that have their own main (compiler-rt FuzzerInterface.h).
// Declared here, not linked: -sanitize=fuzzer links the runtime that defines it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
