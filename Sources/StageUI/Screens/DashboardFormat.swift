import Foundation
import StageModel

extension TextFormat {
    /// `+1`, `-2`, `±0`: a change that reads the same in every direction.
    public static func signed(_ n: Int) -> String { n > 0 ? "+\(n)" : n < 0 ? "\(n)" : "±0" }

    /// A gap between two events in ms: `+41.2`.
    public static func gap(_ ms: Double) -> String { "+" + Format.fixed(max(0, ms), decimals: 1) }

    /// Whole-percent pass rate rounded down (like the header), `-` when nothing counted.
    public static func percentDown(passed: Int, counted: Int) -> String {
        counted > 0 ? "\(passed * 100 / counted)%" : "-"
    }
}

/// Which role colours a WebSocket close code: policy (1008) and internal (1011) have their own,
/// normal ends (1000, 1001) look calm, anything else is a failure.
enum CloseCodeStyle {
    static func role(_ code: Int) -> Role {
        switch code {
        case 1008: .closecodePolicy
        case 1011: .closecodeInternal
        case 1000, 1001: .closecodeNormal
        default: .statusFail
        }
    }
}

extension Masking {
    /// Text from the outside (a login error body, a close reason) with anything shaped like a bearer
    /// token replaced by `mask`: a JWT (`eyJ…`), or the word after `Bearer`. The model never holds the
    /// token, but a server may echo one back in an error; the screen must not show it.
    public static func redactTokens(_ text: String, mask: String) -> String {
        var out: [Substring] = []
        var afterBearer = false
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if afterBearer && !word.isEmpty {
                out.append(Substring(mask)); afterBearer = false; continue
            }
            if word.caseInsensitiveCompare("bearer") == .orderedSame { afterBearer = true }
            out.append(looksLikeJWT(word) ? Substring(mask) : word)
        }
        return out.joined(separator: " ")
    }

    /// Three base64url segments separated by dots, the first starting like a JSON header (`eyJ`).
    static func looksLikeJWT(_ word: Substring) -> Bool {
        guard let start = word.range(of: "eyJ") else { return false }
        let parts = word[start.lowerBound...].split(separator: ".", omittingEmptySubsequences: false)
        return parts.count >= 3 && parts[0].count >= 8 && parts[1].count >= 4
    }
}
