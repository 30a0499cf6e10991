#ifndef LIBFUZZER_DRIVER_H
#define LIBFUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// The function libFuzzer calls with each input.
typedef int (*FuzzTestOneInput)(const uint8_t *data, size_t size);

/// Runs libFuzzer's driver (command-line flags, corpus folders, mutation loop) on `test`;
/// returns its exit status. The program needs `-sanitize=fuzzer` to link.
int libfuzzer_main(int argc, char **argv, FuzzTestOneInput test);

#endif
