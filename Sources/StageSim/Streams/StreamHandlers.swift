import Hummingbird

/// The server-sent-events routes (GitHub issue 5 item 5). The route's fault (403, 404, a delay) has
/// already been applied by `SimResponder` before these run; here the 200 headers go out at once and
/// the body follows the route's `StreamMode`.
///
/// A stream that never ends must not hold up `stop()`, nor outlive its client: every wait races
/// `core.stopping` and the client hanging up, and a stream cut short throws, so the connection closes
/// without the final chunk and a client sees a broken stream rather than one that finished.
enum StreamHandlers {
    static func handler(for route: String) -> @Sendable (RouteInput, SimCore) -> Response {
        { input, core in
            let mode = core.state.withLock { $0.streamMode(for: route) }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            // Tells proxies (nginx, Cloud Run's front end) not to buffer: the watchdog measures gaps.
            headers[HTTPFields.Element.Name("X-Accel-Buffering")!] = "no"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody { writer in
                    core.streamBegan()
                    defer { core.streamEnded() }
                    let clientGone = await input.connection.goneEvent() ?? OneShotEvent()
                    try await write(mode, route: route, core: core, clientGone: clientGone, to: &writer)
                })
        }
    }

    struct Interrupted: Error {}

    private static func write(
        _ mode: StreamMode, route: String, core: SimCore, clientGone: OneShotEvent,
        to writer: inout any ResponseBodyWriter
    ) async throws {
        let runID = StreamScripts.newRunID()
        let scripted = StreamScripts.eventNames(for: route).count

        /// Waits `duration` (forever when nil) unless the simulator stops, the client leaves or the
        /// request is cancelled first. True if the whole duration passed.
        func pause(_ duration: Duration?) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                if let duration { group.addTask { (try? await Task.sleep(for: duration)) != nil } }
                group.addTask { await core.stopping.wait(); return false }
                group.addTask { await clientGone.wait(); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }

        /// Events `0..<count`, the first at once and each next one `gapMs` later.
        func emit(_ count: Int, gapMs: Double, to writer: inout any ResponseBodyWriter) async throws {
            var index = 0
            while index < count {
                if index > 0, await !pause(.milliseconds(gapMs)) { throw Interrupted() }
                try await writer.write(ByteBuffer(string: StreamScripts.event(index, route: route, runID: runID)))
                index += 1
            }
        }

        /// Silence until the simulator stops or the client leaves; never returns normally.
        func hold() async throws -> Never {
            _ = await pause(nil)
            throw Interrupted()
        }

        let sent: Int
        switch mode {
        case .ok:
            sent = scripted
            try await emit(sent, gapMs: StreamMode.okGapMs, to: &writer)
        case .slowDrip(let gapMs, let count):
            sent = count
            try await emit(count, gapMs: gapMs, to: &writer)
        case .noFirstByte:
            try await hold()
        case .stallAfter(let events):
            try await emit(events, gapMs: StreamMode.okGapMs, to: &writer)
            try await hold()
        case .neverFinish:
            try await emit(Int.max, gapMs: StreamMode.neverFinishGapMs, to: &writer)
            try await hold()
        }
        try await writer.write(ByteBuffer(string: StreamScripts.done(runID: runID, events: sent)))
        try await writer.finish(nil)
    }
}
