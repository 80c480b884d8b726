import Foundation
import StageModel

/// The login step in the chrome: a banner line when it failed, a countdown to the token's expiry when
/// it worked. Only the model's `LoginState` is read, which never holds the token itself.
enum LoginBanner {
    /// What probes that need the token do when there is none: the banner says so, so a wall of
    /// errors is read as one cause, not many.
    static let consequence = "probes that need the token are errors"

    /// `LOGIN FAILED 401 Invalid E2E bypass key — probes that need the token are errors`, or nil
    /// unless the login failed.
    static func text(_ login: LoginState?, mask: String) -> String? {
        guard let login, login.phase == .failed else { return nil }
        var reason = Masking.redactTokens(login.message.trimmingCharacters(in: .whitespacesAndNewlines), mask: mask)
        if reason.isEmpty, let status = login.status { reason = "\(status) \(Format.reason(status))".trimmingCharacters(in: .whitespaces) }
        return "LOGIN FAILED " + (reason.isEmpty ? "" : reason + " ") + "— " + consequence
    }

    /// Seconds under which the countdown turns to the warning style: time to notice before probes fail.
    static let warnBelow: Double = 60

    /// The header piece for a working login: `token 12m04s` until the token's `exp`, warning style
    /// under a minute, `token expired` after; `login…` while the login runs. nil when there is nothing to say.
    static func headerPiece(_ login: LoginState?, now: Date, renderer r: Renderer) -> HeaderBar.Piece? {
        guard let login else { return nil }
        switch login.phase {
        case .pending:
            return .init(Line("login…", r.style(.statusPending)), priority: 45)
        case .failed:
            // The banner line carries it.
            return nil
        case .ok:
            guard let exp = login.expiresAt else { return nil }
            let left = exp.timeIntervalSince(now)
            if left <= 0 { return .init(Line(" token expired ", r.style(.bannerFail)), priority: 96) }
            let text = "token " + Format.uptime(left.rounded(.up))
            return left < warnBelow
                ? .init(Line(" " + text + " ", r.style(.headerBadgeWarn)), priority: 96)
                : .init(Line(text, r.style(.textDim)), priority: 68)
        }
    }
}
