import Foundation
import FuzzEntries
import LibFuzzerDriver

/// libFuzzer's entry point: one input through the series reader (`FuzzTarget.series`); traps on a
/// violation of docs/reliability.md's standard so that libFuzzer records the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSeries(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    FuzzTarget.series.fuzz(start, count)
}

/// Hands the command line (corpus folders, `-max_total_time=…`) to libFuzzer's driver.
@main
enum FuzzSeriesMain {
    static func main() {
        exit(libfuzzer_main(CommandLine.argc, CommandLine.unsafeArgv) { fuzzSeries($0, $1) })
    }
}
