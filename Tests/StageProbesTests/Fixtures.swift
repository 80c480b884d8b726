import Foundation
import StageModel
import StageProbes
import StageSim
import Testing

#if canImport(Glibc)
import Glibc
#endif

struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "timed out after \(seconds) s" }
}

/// Runs `body`, failing with `TimedOut` if it has not finished in `seconds`. Every networked test is bounded.
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
            throw TimedOut(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// A fresh simulated staging and engine for one test; both are stopped afterwards.
func withSim<T: Sendable>(_ scenario: String = "healthy", timeout: Double = 20,
                          _ body: @escaping @Sendable (SimServer, CurlEngine) async throws -> T) async throws -> T {
    let sim = try await SimServer.start(scenario: scenario)
    let engine = CurlEngine()
    do {
        let r = try await withTimeout(timeout) { try await body(sim, engine) }
        engine.shutdown()
        await sim.stop()
        return r
    } catch {
        engine.shutdown()
        await sim.stop()
        throw error
    }
}

/// A loopback port nothing listens on: bound, then closed again.
func closedPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
    }
    _ = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return Int(UInt16(bigEndian: addr.sin_port))
}

func cond(_ source: String) -> Condition {
    try! ConditionParser.parse(source)
}

func httpProbe(_ name: String = "probe", path: String, method: String = "GET", follow: Bool = false,
               auth: HTTPAuthMode = .none, conditions: [String] = [], timeout: Double = 5,
               maxBodyBytes: Int = 64 * 1024) -> ProbeSpec {
    ProbeSpec(name: name, body: .http(HTTPProbeSpec(method: method, path: path, followRedirects: follow, auth: auth,
                                                    maxBodyBytes: maxBodyBytes)),
              conditions: conditions.map(cond), timeout: .s(timeout))
}

/// Collects scheduler events; tests await the ones they expect instead of sleeping.
final class EventRecorder: Sendable {
    private let stream: AsyncStream<ProbeEvent>
    private let continuation: AsyncStream<ProbeEvent>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream(of: ProbeEvent.self) }

    var sink: @Sendable (ProbeEvent) -> Void {
        let c = continuation
        return { c.yield($0) }
    }

    /// The next `count` finished results, in arrival order.
    func finished(_ count: Int, within seconds: Double = 5) async throws -> [ProbeResult] {
        let stream = self.stream
        return try await withTimeout(seconds) {
            var out: [ProbeResult] = []
            for await event in stream {
                if case .finished(let r) = event { out.append(r) }
                if out.count == count { break }
            }
            return out
        }
    }
}

func streamProbe(_ name: String = "stream", path: String, method: String = "GET", auth: HTTPAuthMode = .bearer,
                 firstByte: Double? = nil, maxGap: Double? = nil, finish: Double? = nil,
                 conditions: [String] = [], timeout: Double = 5) -> ProbeSpec {
    ProbeSpec(name: name, body: .stream(StreamProbeSpec(
        method: method, path: path, auth: auth, firstByteWithin: firstByte.map { .s($0) }, maxGap: maxGap.map { .s($0) },
        finishWithin: finish.map { .s($0) })), conditions: conditions.map(cond), timeout: .s(timeout))
}

func burstProbe(_ name: String = "burst", path: String = "/api/health", requests: Int, within: Double,
                auth: HTTPAuthMode = .none, conditions: [String] = [], timeout: Double = 5) -> ProbeSpec {
    ProbeSpec(name: name, body: .burst(BurstProbeSpec(path: path, auth: auth, requests: requests, within: .s(within))),
              conditions: conditions.map(cond), timeout: .s(timeout))
}

/// Every event a runner emitted, in order, for assertions after the run (no waiting involved).
final class EventLog: Sendable {
    private let events = Locked<[ProbeEvent]>([])

    var sink: @Sendable (ProbeEvent) -> Void { { e in self.events.withLock { $0.append(e) } } }
    var all: [ProbeEvent] { events.withLock { $0 } }

    var progress: [StreamProgress] {
        all.compactMap { if case .streamProgress(let p) = $0 { p } else { nil } }
    }

    var logins: [LoginState] {
        all.compactMap { if case .login(let l) = $0 { l } else { nil } }
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass (bounded; never a fixed sleep).
func eventually(within seconds: Double = 5, _ condition: @Sendable () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return await condition()
}
