import Foundation
import StageSim

/// What a network benchmark talks to: `--url U`, a server started elsewhere (its own process, so the
/// figures are the client's alone), or else a sim started in this process and prepared for the run.
struct BenchTarget {
    let url: String
    private let sim: SimServer?

    static func resolve(_ o: Options, scenario: String = "healthy", note: String? = nil,
                        prepare: (SimServer) -> Void = { _ in }, url: (SimServer) -> String) async throws -> BenchTarget {
        if let given = o.string("url") { return BenchTarget(url: given, sim: nil) }
        let s = try await SimServer.start(scenario: scenario)
        prepare(s)
        if let note { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        return BenchTarget(url: url(s), sim: s)
    }

    func stop() async { await sim?.stop() }
}
