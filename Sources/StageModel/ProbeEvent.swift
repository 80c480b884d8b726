import Foundation

/// What runners tell the store. Data flows one way: runners → Store → snapshots.
public enum ProbeEvent: Sendable {
    /// A run began (the row shows it running, the age restarts).
    case started(probe: String, at: Date)
    /// A run ended with exactly one verdict.
    case finished(ProbeResult)
    /// Something worth a line in the event log that is not a verdict (login failed, scenario changed).
    case note(String, at: Date)
}
