import Foundation

/// `--api-token-env VAR`: a token named by its environment variable, never given in argv (every user of
/// the machine can read argv). The agent requires it; `watch --attach` sends it.
enum TokenEnvironment {
    /// nil when no variable was named; the variable's value; or exit 2 when it is unset or empty.
    static func read(_ name: String?) -> Result<String?, ExitCodeValue> {
        guard let name else { return .success(nil) }
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            Console.error("--api-token-env \(name): the variable is not set or empty (export it with the API token)")
            return .failure(ExitCodeValue(ExitStatus.usage))
        }
        return .success(value)
    }
}
