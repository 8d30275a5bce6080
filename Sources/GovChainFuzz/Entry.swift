// `govchain-fuzz`: the libFuzzer entry for every decoder of outside bytes (FuzzTargets.swift).
//
// Built by Scripts/fuzz with `-sanitize=fuzzer,address -DFUZZING`, `main` hands over to
// libFuzzer's driver, which calls `fuzzOneInput`; GOVCHAIN_FUZZ_TARGET names the target.
// Built plainly (as `swift build` does), it replays files instead, and writes seed corpora:
//   govchain-fuzz replay TARGET FILE…      run inputs (e.g. a crash file) without the fuzzer
//   govchain-fuzz seeds REPOSITORY         write Tests/Fuzz/corpus/<target>/ seed inputs
import Foundation

enum Selected {
    /// Read once, on the first input (a static is initialised lazily).
    static let target: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["GOVCHAIN_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError(
                "GOVCHAIN_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return target
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    Selected.target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

#if FUZZING
    /// libFuzzer's driver (compiler-rt, LLVM ≥ 12): SwiftPM links executables with its own `main`,
    /// so libFuzzer's is not used and ours hands over to the driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32
#endif

@main struct FuzzMain {
    static func main() {
        #if FUZZING
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
            FuzzCommandLine.main(CommandLine.arguments)
        #endif
    }
}
