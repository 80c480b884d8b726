import ArgumentParser
import Foundation
import StageApp

// Our own entry point, not @main: usage errors exit 2 (docs/config.md, "Exit statuses"; ArgumentParser uses 64),
// and `--sim [SCENARIO]` needs its optional value rewritten before parsing.
let arguments = SimArgument.rewrite(Array(CommandLine.arguments.dropFirst()))
do {
    var command = try Stagetop.parseAsRoot(arguments)
    // Dispatch through our own protocol: on an `AsyncParsableCommand` existential the call to `run()`
    // resolves to ParsableCommand's synchronous default (which prints help) instead of the async one.
    if let runnable = command as? AsyncRunnable {
        try await runnable.execute()
    } else {
        try command.run()
    }
} catch let exit as ExitCode {
    Foundation.exit(exit.rawValue)
} catch {
    let code = Stagetop.exitCode(for: error)
    if code == .success {
        print(Stagetop.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data((Stagetop.fullMessage(for: error) + "\n").utf8))
    exit(code == .validationFailure || error is ValidationError || code.rawValue == 64 ? ExitStatus.usage : ExitStatus.internalError)
}
