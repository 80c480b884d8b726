import Foundation

/// A server certificate's end of validity, as a probe last saw it (at a TLS handshake): the header warns
/// when the nearest one among the config's hosts is under `CertificateExpiry.warnWithin` away.
public struct CertificateExpiry: Sendable, Equatable {
    public var host: String
    public var notAfter: Date

    public init(host: String, notAfter: Date) { self.host = host; self.notAfter = notAfter }

    /// Fourteen days: time to renew before an on-call weekend and a holiday go by.
    public static let warnWithin: TimeInterval = 14 * 86_400
}
