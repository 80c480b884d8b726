import StageModel

/// The header's certificate warning: the certificate that ends soonest among the probes' hosts, once it is
/// under `CertificateExpiry.warnWithin` away (` CERT api.staging.example.com 3d04h `), or already past it
/// (` CERT api.staging.example.com EXPIRED `). Nothing while every certificate has longer.
enum CertificateBadge {
    static func text(_ s: Snapshot) -> String? {
        guard let cert = s.nearestCertificate else { return nil }
        let left = cert.notAfter.timeIntervalSince(s.takenAt)
        guard left < CertificateExpiry.warnWithin else { return nil }
        return " CERT \(cert.host) " + (left <= 0 ? "EXPIRED" : Format.uptime(left)) + " "
    }
}
