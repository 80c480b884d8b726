import Foundation
import StageModel
import Testing
@testable import StageProbes

/// The current thread's name (a synchronous call: `Thread.current` is not for async code).
private func threadName() -> String { Thread.current.name ?? "" }

@Suite("DriverThread: the scheduler's driver, its sleeps and its collecting on one thread with its own timers")
struct DriverThreadTests {
    @Test("a sleep lasts its time, no less, and the task runs on the driver's thread before and after it")
    func sleepsOnItsThread() async throws {
        let thread = DriverThread(name: "test.driver")
        defer { thread.shutdown() }
        let (names, elapsed) = try await Task(executorPreference: thread) { () async throws -> ([String], Double) in
            let before = threadName()
            let start = Date()
            try await thread.sleep(seconds: 0.05)
            return ([before, threadName()], Date().timeIntervalSince(start))
        }.value
        #expect(names == ["test.driver", "test.driver"])
        #expect(elapsed >= 0.05 && elapsed < 1, "slept \(elapsed) s")
    }

    @Test("timers fire in deadline order, whatever order they were set in")
    func deadlineOrder() async throws {
        let thread = DriverThread(name: "test.order")
        defer { thread.shutdown() }
        let order = Locked<[Int]>([])
        await withTaskGroup(of: Void.self) { group in
            for (i, delay) in [(1, 0.09), (2, 0.03), (3, 0.06)] {
                group.addTask(executorPreference: thread) {
                    try? await thread.sleep(seconds: delay)
                    order.withLock { $0.append(i) }
                }
            }
        }
        #expect(order.withLock { $0 } == [2, 3, 1])
    }

    @Test("cancelling a sleeping task wakes it at once with CancellationError, also before its timer was set")
    func cancelWakes() async throws {
        let thread = DriverThread(name: "test.cancel")
        defer { thread.shutdown() }
        let long = Task(executorPreference: thread) { () async -> (Bool, Double) in
            let start = Date()
            do { try await thread.sleep(seconds: 30); return (false, 0) } catch { return (error is CancellationError, Date().timeIntervalSince(start)) }
        }
        try await Task.sleep(nanoseconds: 20_000_000)
        long.cancel()
        let (cancelled, after) = await long.value
        #expect(cancelled && after < 1, "woke after \(after) s")

        // Cancelled before it runs: the cancellation handler comes first, the timer is never left set.
        let early = Task(executorPreference: thread) { () async -> Bool in
            do { try await thread.sleep(seconds: 30); return false } catch { return error is CancellationError }
        }
        early.cancel()
        let earlyCancelled = try await withTimeout(5) { await early.value }
        #expect(earlyCancelled)
    }

    @Test("shutdown ends the thread once nothing is queued or timed on it; later work starts it again")
    func shutdownEndsThread() async throws {
        @Sendable func alive(_ name: String) -> Bool {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.contains { (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8))?.hasPrefix(name) == true }
        }
        let name = "test.end.\(UInt16.random(in: 1000...9999))"
        let thread = DriverThread(name: name)
        try await Task(executorPreference: thread) { try await thread.sleep(seconds: 0.01) }.value
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
}
