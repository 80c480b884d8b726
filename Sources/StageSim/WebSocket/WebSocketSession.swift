import Foundation
import HummingbirdWebSocket

/// One upgraded `/ws` connection: the faults' early closes, the token check, the welcome, then the
/// conversation (chat flows, JSON pings) until the client leaves, `closeAfterSeconds` runs out or the
/// simulator stops (both close 1001).
///
/// Ping *frames* need nothing here: WSCore answers them with pongs while the inbound stream is read,
/// which the conversation always does.
struct WebSocketSession: Sendable {
    let core: SimCore
    let faults: WSFaults
    let credentials: WebSocketCredentials
    /// Who is connecting, for `maxConcurrent`: the `X-Stagetop-Probe` header stagetop sends on every upgrade,
    /// or "" (one shared client) when absent. Report 002's tests ran one after another, so only the test
    /// that opened several sockets at once met the limit; counting per probe keeps that true when every
    /// probe of a `check` connects at the same moment.
    let client: String
    let openedAt = ContinuousClock.now

    /// How long a server-initiated close waits for the client's close frame before giving up on it
    /// (WSCore then drops the connection after its own `closeTimeout`).
    static let closeGrace: Duration = .seconds(1)

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let open = core.socketOpened(client: client)
        defer { core.socketClosed(client: client) }
        // Any error below means the client has gone (writes to a closed channel fail); there is
        // nothing left to tell it.
        try? await serve(openSockets: open, inbound: inbound, outbound: outbound)
    }

    private func serve(openSockets: Int, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter)
        async throws
    {
        // The early closes (1011 on connect, 1008 on a bad token, 1011 past `maxConcurrent`) go out at once, as
        // staging's do: the 101, the close frame and the FIN can reach the client in one read. Clients must cope
        // (stagetop's `PeerHalfCloseHandler` does; before it, such a close read as 1006 in a third of runs of
        // eight connections), so the sim does not soften it. WSCore then waits for the client's close frame.
        if let code = faults.closeOnConnect {
            return try await close(outbound, code: code)
        }
        let user: String
        switch authenticate() {
        case .success(let claims):
            user = claims.sub
        case .failure(let reason):
            try await outbound.write(.text(WebSocketMessages.authRequired(reason: reason.description)))
            return try await close(outbound, code: WSCloseCodes.policyViolation, reason: "Authentication failed")
        }

        let connectionID = WebSocketMessages.connectionID(user: user)
        let welcome =
            faults.legacyWelcome
            ? WebSocketMessages.legacyWelcome(connectionID: connectionID, user: user)
            : WebSocketMessages.welcome(connectionID: connectionID, user: user)
        try await outbound.write(.text(welcome))

        if let max = faults.maxConcurrent, openSockets > max {
            return try await close(
                outbound, code: WSCloseCodes.internalError, reason: "Factory SSOT validation failed")
        }
        if let code = faults.closeAfterWelcome {
            return try await close(outbound, code: code)
        }
        try await converse(inbound: inbound, outbound: outbound)
    }

    enum AuthFailure: Error, CustomStringConvertible {
        case missing
        case invalid(SimToken.Rejection)
        case rejectedByFault

        var description: String {
            switch self {
            case .missing: return "No token provided"
            case .invalid(let rejection): return rejection.description
            // Report 001's details.error: staging refused tokens that were fine.
            case .rejectedByFault: return "user_context must be a UserExecutionContext instance"
            }
        }
    }

    func authenticate() -> Result<SimToken.Claims, AuthFailure> {
        guard let token = credentials.token, !token.isEmpty else { return .failure(.missing) }
        switch SimToken.validate(token) {
        case .failure(let rejection): return .failure(.invalid(rejection))
        case .success(let claims): return faults.rejectAllTokens ? .failure(.rejectedByFault) : .success(claims)
        }
    }

    private func close(_ outbound: WebSocketOutboundWriter, code: Int, reason: String? = nil) async throws {
        try await outbound.close(.init(codeNumber: code), reason: reason ?? WSCloseCodes.reason(for: code))
    }

    /// Reads messages until the client closes, racing the watchdog (stop, `closeAfterSeconds`):
    /// whichever finishes first ends the other.
    private func converse(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.read(inbound: inbound, outbound: outbound) }
            group.addTask { try await self.watchdog(outbound: outbound) }
            _ = try? await group.next()
            group.cancelAll()
        }
    }

    private func read(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        try await withThrowingTaskGroup(of: Void.self) { flows in
            for try await message in inbound.messages(maxSize: WebSocketEndpoint.maxMessageBytes) {
                guard case .text(let text) = message else {
                    try await outbound.write(
                        .text(WebSocketMessages.error(code: "INVALID_MESSAGE", message: "Expected a JSON text message")))
                    continue
                }
                switch ClientMessage.parse(text) {
                case .ping:
                    try await outbound.write(.text(WebSocketMessages.pong()))
                case .userMessage(let content):
                    // Each chat runs beside the reader, so pings are answered during a long flow.
                    flows.addTask { await self.chat(content: content, outbound: outbound) }
                case .unsupported(let type):
                    try await outbound.write(
                        .text(
                            WebSocketMessages.error(
                                code: "UNSUPPORTED_MESSAGE_TYPE", message: "Unsupported message type '\(type)'")))
                case .invalid:
                    try await outbound.write(
                        .text(WebSocketMessages.error(code: "INVALID_MESSAGE", message: "Message is not valid JSON")))
                }
            }
            // The client closed: flows still running have nobody to talk to.
            flows.cancelAll()
        }
    }

    /// The five events `eventDelayMs` apart (minus `omitEvents`), then the answer.
    private func chat(content: String, outbound: WebSocketOutboundWriter) async {
        let runID = WebSocketMessages.newRunID()
        let delay = faults.eventDelayMs ?? WSFaults.defaultEventDelayMs
        let steps = (WebSocketMessages.chatEvents + [WebSocketMessages.response]).filter { !faults.omitEvents.contains($0) }
        for (index, type) in steps.enumerated() {
            if index > 0, delay > 0, await !core.stopping.sleep(for: .milliseconds(delay)) { return }
            do {
                try await outbound.write(.text(WebSocketMessages.chatEvent(type, runID: runID, content: content)))
            } catch {
                return
            }
        }
    }

    /// Closes 1001 when the simulator stops or `closeAfterSeconds` has passed since the connection
    /// opened; then gives the client `closeGrace` to answer before ending (which ends the reader).
    private func watchdog(outbound: WebSocketOutboundWriter) async throws {
        let reason: String
        if let seconds = faults.closeAfterSeconds {
            let remaining = Duration.milliseconds(Int(seconds * 1000)) - openedAt.duration(to: .now)
            if await core.stopping.sleep(for: max(remaining, .zero)) {
                reason = WSCloseCodes.reason(for: WSCloseCodes.goingAway)
            } else if core.stopping.hasFired {
                reason = "Server shutting down"
            } else {
                return  // cancelled: the reader ended first
            }
        } else {
            await core.stopping.wait()
            guard core.stopping.hasFired else { return }
            reason = "Server shutting down"
        }
        try await close(outbound, code: WSCloseCodes.goingAway, reason: reason)
        try await Task.sleep(for: Self.closeGrace)
    }
}

/// What a client can send: `{"type":"ping"}` or `{"type":"user_message","payload":{"content":"…"}}`.
enum ClientMessage: Equatable {
    case ping
    case userMessage(String)
    case unsupported(String)
    case invalid

    private struct Wire: Decodable {
        struct Payload: Decodable {
            var content: String?
            var message: String?
        }
        var type: String?
        var payload: Payload?
        var content: String?
    }

    static func parse(_ text: String) -> ClientMessage {
        guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(text.utf8)), let type = wire.type else {
            return .invalid
        }
        switch type {
        case "ping": return .ping
        case "user_message":
            return .userMessage(wire.payload?.content ?? wire.payload?.message ?? wire.content ?? "")
        default: return .unsupported(type)
        }
    }
}
