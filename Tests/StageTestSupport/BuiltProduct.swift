import Foundation

/// Where `swift build` may have put the executable `name` for these tests, most likely first: next to the
/// test bundle, one folder up, then `<repoRoot>/.build/debug`. Callers keep the first that suits them.
public func builtProductCandidates(_ name: String, repoRoot: URL) -> [String] {
    let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    return [here, here.deletingLastPathComponent(), repoRoot.appendingPathComponent(".build/debug")]
        .map { $0.appendingPathComponent(name).path }
}
