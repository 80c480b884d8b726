import Foundation
import StageModel

/// One run of the login step (`auth.login`): the configured request, the token read at `token_path`.
struct LoginRequest: Sendable {
    let login: LoginConfig
    let target: TargetConfig
    let timeout: Double

    enum Outcome: Sendable {
        case ok(Secret, claims: TokenClaims)
        /// `message` is what the banner shows ("401 Invalid E2E bypass key"); it never holds the token.
        case failed(status: Int?, message: String)
        /// The engine shut down (or the task was cancelled) mid-login: says nothing about the login.
        case cancelled
    }

    func run(on engine: CurlEngine, now: @Sendable () -> Date) async -> Outcome {
        var headers = target.headers + login.headers
        let body = HTTPProbeRunner.jsonBody(login.body, headers: &headers)
        let request = HTTPRequest(url: target.url(for: login.path), method: login.method, headers: headers, body: body,
                                  timeout: timeout, tls: target.tls, resolve: target.resolve)
        switch await engine.perform(request) {
        case .failure(let f) where f.cancelled:
            return .cancelled
        case .failure(let f):
            let why = f.failureClass == .timeout ? String(format: "timeout after %.1f s", timeout) : f.summary
            return .failed(status: nil, message: "\(login.method) \(login.path): \(why)")
        case .success(let r):
            return Self.outcome(r, tokenPath: login.tokenPath, obtainedAt: now())
        }
    }

    /// Reads the token out of a response. The message of a refusal is the status and the server's own
    /// words (`detail`, `message`, `error` or the first body line): "401 Invalid E2E bypass key".
    static func outcome(_ r: HTTPResponse, tokenPath: String, obtainedAt: Date) -> Outcome {
        guard (200..<300).contains(r.status) else {
            let why = HTTPStatusText.errorDetail(r.body).map { "\(r.status) \($0)" } ?? HTTPStatusText.line(r.status)
            return .failed(status: r.status, message: why)
        }
        // The body is never quoted here: it holds the token we could not find, or one under another name.
        guard let json = JSONValue.parse(r.body) else {
            return .failed(status: r.status, message: "\(HTTPStatusText.line(r.status)) but the body is not JSON")
        }
        guard case .string(let token)? = json.value(atPath: tokenPath), !token.isEmpty else {
            return .failed(status: r.status, message: "\(HTTPStatusText.line(r.status)) but no token at '\(tokenPath)'")
        }
        var claims = TokenClaims(jwt: token) ?? TokenClaims(expiresAt: nil, issuedAt: nil)
        if claims.expiresAt == nil, case .number(let seconds)? = json["expires_in"], seconds > 0 {
            // An opaque token: OAuth's expires_in counts from now.
            claims = TokenClaims(expiresAt: obtainedAt.addingTimeInterval(seconds), issuedAt: obtainedAt)
        }
        return .ok(Secret(token), claims: claims)
    }
}
