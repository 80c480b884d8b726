import Foundation

/// What runners tell the store. Data flows one way: runners → Store → snapshots.
public enum ProbeEvent: Sendable {
    /// A run began (the row shows it running, the age restarts).
    case started(probe: String, at: Date)
    /// A run ended with exactly one verdict.
    case finished(ProbeResult)
    /// A held-open WebSocket was closed (by the server, or by us on error); goes to the close-code panel.
    case closed(CloseRecord)
    /// A held-open WebSocket is up (again): connected time, RTT and reconnects update without a new verdict.
    case connection(probe: String, info: WebSocketInfo)
    /// A stream in flight made progress (or started); the live watchdog panel reads these.
    case streamProgress(StreamProgress)
    /// A journey moved on to its next step (the row shows `2/3` while it runs).
    case journeyStep(JourneyProgress)
    /// The login step finished or failed.
    case login(LoginState)
    /// Something worth a line in the event log that is not a verdict (login failed, scenario changed).
    case note(String, at: Date)
}
