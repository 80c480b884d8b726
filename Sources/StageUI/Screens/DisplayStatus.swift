import StageModel

/// What a row shows in its status column: a verdict, or `pending` before the first result.
/// "pending" is not a verdict, but it is not a pass either, so it sorts above pass and skip.
public enum DisplayStatus: String, Sendable, Hashable, CaseIterable {
    case hang, error, fail, pending, skip, pass

    public init(_ verdict: Verdict?) {
        switch verdict {
        case .pass?: self = .pass
        case .fail?: self = .fail
        case .hang?: self = .hang
        case .error?: self = .error
        case .skip?: self = .skip
        case nil: self = .pending
        }
    }

    /// Sort rank, worst first: hang > error > fail > pending > skip > pass.
    public var rank: Int {
        switch self {
        case .hang: 5
        case .error: 4
        case .fail: 3
        case .pending: 2
        case .skip: 1
        case .pass: 0
        }
    }

    public var word: String { rawValue }

    public var role: Role {
        switch self {
        case .pass: .statusPass
        case .fail: .statusFail
        case .hang: .statusHang
        case .error: .statusError
        case .skip: .statusSkip
        case .pending: .statusPending
        }
    }

    /// Whether this status means something is wrong (drives bold names and log colours).
    public var isProblem: Bool { self == .fail || self == .hang || self == .error }
}
