// `govchain-fuzz`: the libFuzzer entry for every decoder of outside bytes (FuzzTargets.swift).
//
// Built by Scripts/fuzz with `-sanitize=fuzzer,address -DFUZZING`, `main` hands over to
// libFuzzer's driver, which calls `fuzzOneInput`; GOVCHAIN_FUZZ_TARGET names the target.
// Built plainly (as `swift build` does), it replays files instead, and writes seed corpora:
//   govchain-fuzz replay TARGET FILE…      run inputs (e.g. a crash file) without the fuzzer
//   govchain-fuzz seeds REPOSITORY         write Tests/Fuzz/corpus/<target>/ seed inputs
import Foundation

enum Selected {
    /// GOVCHAIN_FUZZ_TARGET, read once (a static is initialised lazily); `main` refuses to start
    /// the fuzzer without a valid one.
    static let target = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["GOVCHAIN_FUZZ_TARGET"] ?? "")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = Selected.target else { return 0 }
    if let broken = target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []) {
        // A broken property of our own code, found by the fuzzer: abort is how libFuzzer is told
        // (it saves the input as crash-…). Inputs the decoders refuse never get here.
        FileHandle.standardError.write(Data("govchain-fuzz: \(broken)\n".utf8))
        abort()
    }
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
            guard Selected.target != nil else {
                FileHandle.standardError.write(
                    Data(
                        "govchain-fuzz: GOVCHAIN_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n"
                            .utf8))
                exit(2)
            }
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
            FuzzCommandLine.main(CommandLine.arguments)
        #endif
    }
}
