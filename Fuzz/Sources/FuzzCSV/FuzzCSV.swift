import Foundation
import FuzzEntries
import LibFuzzerDriver

/// libFuzzer's entry point: one input through the csv reader (`FuzzTarget.csv`); traps on a
/// violation of docs/reliability.md's standard so that libFuzzer records the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.csv.fuzz(start, count)
}

/// Hands the command line (corpus folders, `-max_total_time=…`) to libFuzzer's driver.
@main
enum FuzzCSVMain {
    static func main() {
        exit(libfuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzCSV($0, $1) })
    }
}
