import CFuzzDriver

#if canImport(Glibc)
import Glibc
#endif

/// Hands the process to libFuzzer with `testOneInput` as the target (the same function each target also
/// exports as `LLVMFuzzerTestOneInput`).
///
/// Why a `main` at all: SwiftPM links an executable target with `main` renamed from `<Target>_main`, so the
/// target must define that symbol, and libFuzzer's own `main` cannot be it. `@main` calling
/// `LLVMFuzzerRunDriver` gives SwiftPM its symbol and libFuzzer its usual command line.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
