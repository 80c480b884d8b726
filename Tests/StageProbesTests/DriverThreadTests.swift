import Foundation
import StageModel
import Testing
@testable import StageProbes

/// The current thread's name as the kernel has it (a synchronous call: `Thread.current` is not for async code).
private func threadName() -> String {
    let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
    return comm.trimmingCharacters(in: .newlines)
}

@Suite("DriverThread: the scheduler's driver, its naps and its collecting on one thread with a timer of its own")
struct DriverThreadTests {
    @Test("a nap lasts its time, no less, and the task runs on the driver's thread before and after it")
    func napsOnItsThread() async throws {
        let thread = DriverThread(name: "test.driver")
        defer { thread.shutdown() }
        let (names, elapsed) = await Task(executorPreference: thread) { () async -> ([String], Double) in
            let before = threadName()
            let start = Date()
            _ = await thread.nap(seconds: 0.05)
            return ([before, threadName()], Date().timeIntervalSince(start))
        }.value
        #expect(names == ["test.driver", "test.driver"])
        #expect(elapsed >= 0.05 && elapsed < 1, "napped \(elapsed) s")
    }

    @Test("the driver's nap lasts its time (false), ends at once when woken (true), and a wake before it ends the next one")
    func napWakes() async throws {
        let thread = DriverThread(name: "test.nap")
        defer { thread.shutdown() }
        let (full, slept) = await Task(executorPreference: thread) { () async -> (Bool, Double) in
            let start = Date()
            return (await thread.nap(seconds: 0.05), Date().timeIntervalSince(start))
        }.value
        #expect(!full && slept >= 0.05 && slept < 1, "woken \(full) after \(slept) s")

        let started = Locked(false)
        let long = Task(executorPreference: thread) { () async -> (Bool, Double) in
            let start = Date()
            started.withLock { $0 = true }
            return (await thread.nap(seconds: 30), Date().timeIntervalSince(start))
        }
        try await withTimeout(5) { while !started.withLock({ $0 }) { try await Task.sleep(nanoseconds: 2_000_000) } }
        try await Task.sleep(nanoseconds: 20_000_000)
        thread.wakeNap()
        let (woken, after) = try await withTimeout(5) { await long.value }
        #expect(woken && after < 1, "woken \(woken) after \(after) s")

        // A wake that comes before the nap (the driver was on its way to it) is not lost.
        thread.wakeNap()
        let early = try await withTimeout(5) { await Task(executorPreference: thread) { await thread.nap(seconds: 30) }.value }
        #expect(early)
    }

    @Test("shutdown ends the thread once nothing is queued or napping on it; later work starts it again")
    func shutdownEndsThread() async throws {
        @Sendable func alive(_ name: String) -> Bool {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.contains { (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8))?.hasPrefix(name) == true }
        }
        let name = "test.end.\(UInt16.random(in: 1000...9999))"
        let thread = DriverThread(name: name)
        _ = await Task(executorPreference: thread) { await thread.nap(seconds: 0.01) }.value
        #expect(alive(name), "the thread runs until it is told")
        thread.shutdown()
        try await withTimeout(5) { while alive(name) { try await Task.sleep(nanoseconds: 5_000_000) } }
        #expect(!alive(name))
        // Work that comes later (a test's own sleeper resuming late) starts it again rather than wait for ever.
        let ranOn = try await withTimeout(5) { await Task(executorPreference: thread) { threadName() }.value }
        #expect(ranOn == name)
    }

    @Test("watch's driver collects task-free results on its own thread: the sink hears them there")
    func collectsOnDriverThread() async throws {
        let runner = HandRunner()
        let names = Locked<[String]>([])
        let scheduler = ProbeScheduler(probes: [probe("a", interval: 3600), probe("b", interval: 3600)], runner: runner, seed: 4,
                                       sink: { event in
                                           if case .finished = event { names.withLock { $0.append(threadName()) } }
                                       })
        await scheduler.start()
        try await TaskFreeRunTests.until { runner.started.count == 2 }
        runner.finish("a")
        runner.finish("b")
        try await TaskFreeRunTests.until { names.withLock { $0.count } == 2 }
        await scheduler.stop()
        #expect(names.withLock { $0 } == ["stagetop.driver", "stagetop.driver"])
    }

    @Test("hosted by a curl engine: its jobs and naps run on the engine's thread, and requests it starts there send no wake-up")
    func hostedOnCurlThread() async throws {
        try await withSim { sim, engine in
            let thread = DriverThread(name: "test.hosted", host: engine.driverHost)
            defer { thread.shutdown() }
            let (names, elapsed, wakeups, codes) = try await Task(executorPreference: thread) {
                () async throws -> ([String], Double, Int, [Int]) in
                let before = threadName()
                let start = Date()
                _ = await thread.nap(seconds: 0.05)
                let slept = Date().timeIntervalSince(start)
                // Started from the engine's own thread: drained before it sleeps, so nothing wakes it.
                let sent = engine.wakeupsSent
                let codes = Locked<[Int]>([])
                for _ in 0..<3 {
                    _ = engine.start(HTTPRequest(url: sim.baseURL + "/health")) { r in
                        codes.withLock { $0.append((try? r.get().status) ?? 0) }
                    }
                }
                let woken = engine.wakeupsSent - sent
                for _ in 0..<500 where codes.withLock({ $0.count }) < 3 { _ = await thread.nap(seconds: 0.01) }
                return ([before, threadName()], slept, woken, codes.withLock { $0 })
            }.value
            #expect(names == ["stagetop.curl", "stagetop.curl"])
            #expect(elapsed >= 0.05 && elapsed < 1, "slept \(elapsed) s")
            #expect(wakeups == 0)
            #expect(codes == [200, 200, 200])
            // From elsewhere, work for the driver does wake the engine's thread.
            let sent = engine.wakeupsSent
            let ranOn = await Task(executorPreference: thread) { threadName() }.value
            #expect(ranOn == "stagetop.curl")
            #expect(engine.wakeupsSent > sent)
        }
    }

    @Test("when its host engine stops, a hosted driver's nap goes on on a thread of its own, and new work runs there")
    func hostStopsDriverMoves() async throws {
        let engine = CurlEngine()
        // At most 14 characters, so name + "b" fits Linux's 15 (a longer one is refused, and the thread keeps its creator's).
        let name = "t.moved.\(UInt16.random(in: 1000...9999))"
        let thread = DriverThread(name: name, host: engine.driverHost)
        defer { thread.shutdown() }
        let first = Locked<String?>(nil)
        let sleeping = Task(executorPreference: thread) { () async throws -> [String] in
            let before = threadName()
            first.withLock { $0 = before }
            _ = await thread.nap(seconds: 1)
            return [before, threadName()]
        }
        // Once its timer is set on the engine's thread (a loaded machine may take its time), the engine stops.
        try await withTimeout(5) { while first.withLock({ $0 }) == nil { try await Task.sleep(nanoseconds: 2_000_000) } }
        engine.shutdown()
        let names = try await withTimeout(5) { try await sleeping.value }
        #expect(names == ["stagetop.curl", name])
        let later = try await withTimeout(5) { await Task(executorPreference: thread) { threadName() }.value }
        #expect(later == name)
        // An engine already stopped hosts nothing: the driver starts on a thread of its own.
        let late = DriverThread(name: name + "b", host: engine.driverHost)
        defer { late.shutdown() }
        let lateName = try await withTimeout(5) { await Task(executorPreference: late) { threadName() }.value }
        #expect(lateName == name + "b")
    }

    @Test("watch with the real runners: the driver and its collecting run on the curl thread")
    func watchDrivesOnCurlThread() async throws {
        try await withSim { sim, engine in
            let config = StageConfig(name: "t", target: TargetConfig(baseURL: sim.baseURL, wsURL: sim.wsURL),
                                     probes: [httpProbe("a", path: "/health"), httpProbe("b", path: "/health")])
            let runtime = ProbeRuntime.make(config: config, engine: engine, webSockets: WebSocketEngine())
            let seen = Locked<[String]>([])
            let scheduler = ProbeScheduler(probes: config.probes, runner: runtime.runners, seed: 3, sink: { event in
                if case .finished(let r) = event { seen.withLock { $0.append("\(r.verdict) \(threadName())") } }
            })
            await scheduler.start()
            for _ in 0..<500 where seen.withLock({ $0.count }) < 2 { try await Task.sleep(nanoseconds: 10_000_000) }
            await scheduler.stop()
            await runtime.webSockets.shutdown()
            #expect(seen.withLock { $0 } == ["pass stagetop.curl", "pass stagetop.curl"])
        }
    }
}
