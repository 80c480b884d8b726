import Foundation
import StageSim

/// Serves the simulated staging in its own process, so benchmarks compare clients against the same server.
enum SimCommand {
    static func run(_ o: Options) async throws {
        let sim = try await SimServer.start(port: o.int("port", 0), scenario: o.string("scenario") ?? "healthy")
        // The sim rate-limits /api/health for burst probes; a benchmark measures clients, so it is off
        // unless asked for.
        if !o.flag("rate-limit") { sim.disableRateLimit() }
        for spec in o.all("delay-route") {
            guard let eq = spec.lastIndex(of: "="), let ms = Double(spec[spec.index(after: eq)...]) else {
                throw BenchError("--delay-route wants /path=MS, got \(spec)")
            }
            // A fixed delay with no jitter, so every client measures the same server time.
            sim.setFault(.delay(ms: ms, jitterMs: 0), for: String(spec[..<eq]))
        }
        // Unbuffered, so a script reading our stdout through a pipe sees the line at once.
        FileHandle.standardOutput.write(Data("listening \(sim.baseURL)\n".utf8))

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop: @Sendable () -> Void = { Task { await sim.stop() } }
        let sources = [SIGINT, SIGTERM].map { sig in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler(handler: stop)
            s.resume()
            return s
        }
        await sim.waitUntilStopped()
        sources.forEach { $0.cancel() }
    }
}
