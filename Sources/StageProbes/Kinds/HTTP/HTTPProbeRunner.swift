import CCurl
import Foundation
import StageModel

/// Runs `http:` probes through a shared `CurlEngine`.
///
/// The bearer token goes into the request only. The result carries *response* headers and body, never
/// request headers, so the token cannot reach the store, the screen or a report through a result.
public struct HTTPProbeRunner: KindRunner {
    public let engine: CurlEngine
    public let target: TargetConfig
    private let tokens: any TokenSource
    private let clock: any WallClock

    /// - Parameter tokens: asked once per run of an `auth: bearer` probe, so a login flow can refresh it;
    ///   a failed login ends the run as `error`/`auth` "login failed: …".
    public init(engine: CurlEngine, target: TargetConfig, clock: any WallClock = SystemClock(), tokens: any TokenSource) {
        self.engine = engine; self.target = target; self.clock = clock; self.tokens = tokens
    }

    /// - Parameter token: asked once per run of an `auth: bearer` probe, so a login flow can refresh it.
    public init(engine: CurlEngine, target: TargetConfig, clock: any WallClock = SystemClock(),
                token: @escaping @Sendable () async -> Secret?) {
        self.init(engine: engine, target: target, clock: clock, tokens: ClosureTokenSource(token: token))
    }

    public init(engine: CurlEngine, target: TargetConfig, token: Secret?, clock: any WallClock = SystemClock()) {
        self.init(engine: engine, target: target, clock: clock, tokens: StaticTokenSource(token))
    }

    public func run(_ http: HTTPProbeSpec, probe spec: ProbeSpec) async -> ProbeResult {
        let startedAt = clock.now()
        switch await TokenRequirement.headers(target.headers + http.headers, auth: http.auth, tokens) {
        case .failure(let refusal):
            return refusal.result(spec, startedAt: startedAt, clock: clock)
        case .success(let headers):
            return result(of: await engine.perform(request(http, spec, headers: headers)), spec, http, startedAt: startedAt)
        }
    }

    /// The same run without a task, when its headers are known now (no token, or a static one): the
    /// scheduler's common case (see `ProbeScheduler.launch`). Nil while a login has to be waited for.
    public func taskFree(_ http: HTTPProbeSpec, probe spec: ProbeSpec) -> TaskFreeRun? {
        guard let headers = TokenRequirement.headersNow(target.headers + http.headers, auth: http.auth, tokens) else { return nil }
        let engine = engine, clock = clock
        return TaskFreeRun { finished in
            let startedAt = clock.now()
            switch headers {
            case .failure(let refusal):
                finished { refusal.result(spec, startedAt: startedAt, clock: clock) }
                return {}
            case .success(let headers):
                // Judged later, by whoever called: the engine thread only hands the response over.
                let id = engine.start(request(http, spec, headers: headers)) { outcome in
                    finished { result(of: outcome, spec, http, startedAt: startedAt) }
                }
                return { engine.cancel(id) }
            }
        }
    }

    private func request(_ http: HTTPProbeSpec, _ spec: ProbeSpec, headers: HeaderList) -> HTTPRequest {
        var headers = headers
        let body = Self.jsonBody(http.body, headers: &headers)
        var request = HTTPRequest(
            url: target.url(for: http.path), method: http.method, headers: headers, body: body,
            followRedirects: http.followRedirects, timeout: spec.timeout.seconds,
            maxBodyBytes: http.maxBodyBytes, tls: spec.tls(target), resolve: target.resolve)
        request.certificateExpiry = spec.conditions.contains { $0.uses(.certificateExpiration) }
        request.certificateInfo = ASCIICase.hasPrefix(request.url, "https://")
        return request
    }

    private func result(of outcome: Result<HTTPResponse, TransportFailure>, _ spec: ProbeSpec, _ http: HTTPProbeSpec,
                        startedAt: Date) -> ProbeResult {
        switch outcome {
        case .failure(let failure):
            var r = ProbeResult(probe: spec.name, kind: .http, verdict: Self.verdict(for: failure), failureClass: failure.failureClass,
                                message: Self.message(for: failure, timeout: spec.timeout) + Self.progress(of: failure),
                                startedAt: startedAt, finishedAt: clock.now())
            r.timings = failure.timings
            return r
        case .success(let response):
            return judged(spec, http, response, startedAt: startedAt)
        }
    }

    private func judged(_ spec: ProbeSpec, _ http: HTTPProbeSpec, _ response: HTTPResponse, startedAt: Date) -> ProbeResult {
        // A response came, so a connection existed: [CONNECTED] is true, as gatus reads it for HTTP.
        let observation = Observation(status: response.status, responseTimeMs: response.timings.total,
                                      ttfbMs: response.timings.ttfb, body: response.body, headers: response.headers,
                                      connected: true, ip: response.remoteIP,
                                      certificateExpiresInMs: response.certificateNotAfter.map { $0.timeIntervalSince(clock.now()) * 1000 })
        let conditions = Conditions.evaluate(spec.conditions, observation)
        let (verdict, cls) = Judge.http(spec: spec, status: response.status, followRedirects: http.followRedirects,
                                        conditions: conditions)
        var message = Self.statusMessage(response)
        if verdict != .pass, let failed = Judge.conditionMessage(conditions), !Self.statusExplains(cls) {
            message += "; failed \(failed)"
        }
        var r = ProbeResult(
            probe: spec.name, kind: .http, verdict: verdict, failureClass: cls, message: message,
            status: response.status, latencyMs: response.timings.total, timings: response.timings,
            conditions: conditions,
            response: ResponseCapture(status: response.status, headers: response.headers, body: response.body,
                                      bodyBytes: response.bodyBytes, truncated: response.truncated),
            startedAt: startedAt, finishedAt: clock.now())
        r.certificate = CertificateExpiry(url: response.effectiveURL, notAfter: response.certificateNotAfter)
        return r
    }

    /// The body's bytes. Config bodies are written as YAML maps and serialised to JSON; say so (unless a
    /// Content-Type was given), or curl labels them as form data and a JSON API rejects them with 415/422.
    static func jsonBody(_ text: String?, headers: inout HeaderList) -> [UInt8]? {
        guard let text else { return nil }
        if JSONValue.parse(text) != nil { HeaderFields.addDefault("Content-Type", "application/json", to: &headers) }
        return Array(text.utf8)
    }

    /// Classes that the status line already explains; adding the failed condition would only repeat it.
    static func statusExplains(_ cls: FailureClass?) -> Bool {
        switch cls {
        case .auth?, .route?, .redirect?, .server?, .rateLimit?: true
        default: false
        }
    }

    /// "200 OK", "307 Temporary Redirect → http://host/health/", "500 Internal Server Error: db down".
    static func statusMessage(_ r: HTTPResponse) -> String {
        let line = HTTPStatusText.line(r.status, serverPhrase: r.reasonPhrase)
        switch r.status {
        case 300..<400:
            if let to = r.redirectURL ?? r.header("Location") { return "\(line) → \(to)" }
            return line
        case 500..<600:
            return HTTPStatusText.line(line, detail: HTTPStatusText.errorDetail(r.body))
        default:
            return line
        }
    }

    /// A config problem (bad URL, unknown scheme) or an unresolvable name means the probe could not run at all.
    static func verdict(for f: TransportFailure) -> Verdict {
        if f.failureClass == .config || f.code == Int(CURLE_COULDNT_RESOLVE_HOST.rawValue) { return .error }
        return .fail
    }

    /// What the server was still doing when a request timed out: a slowloris that never finishes its
    /// headers and an endless body both read "timeout", but they are different faults to chase.
    static func progress(of f: TransportFailure) -> String {
        guard f.failureClass == .timeout, f.responseStarted else { return "" }
        if !f.headersComplete { return "; response headers still arriving" }
        if f.bodyBytes == 0 { return "; headers came (\(f.status.map(String.init) ?? "no status")), then no body" }
        return "; body still arriving after " + byteCount(f.bodyBytes)
    }

    static func byteCount(_ n: Int) -> String {
        if n >= 1 << 20 { return String(format: "%.1f MB", Double(n) / Double(1 << 20)) }
        if n >= 1 << 10 { return String(format: "%.1f KB", Double(n) / 1024) }
        return "\(n) B"
    }

    static func message(for f: TransportFailure, timeout: StageModel.Duration) -> String {
        if f.failureClass == .timeout { return String(format: "timeout after %.1f s", timeout.seconds) }
        return f.summary
    }
}
