#include "LibFuzzerDriver.h"

// libFuzzer's entry point for programs with their own main (LLVM 12 and later). SwiftPM gives
// an executable target its own main (it renames the module's entry point and defines `main` as
// that name), so libFuzzer's main cannot be used: the fuzz targets call this from `@main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));

int libfuzzer_main(int argc, char **argv, FuzzTestOneInput test) {
    return LLVMFuzzerRunDriver(&argc, &argv, test);
}
