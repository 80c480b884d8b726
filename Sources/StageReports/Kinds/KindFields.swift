import Foundation
import StageModel

/// The places the reports tell probe kinds apart, one switch per concern. None has a `default:`, so a
/// new `ProbeKind` case does not compile until each says what the kind adds to it. The recording's
/// switches are in `KindRecording`.
enum KindFields {
    /// JSON report: fields after the common ones (docs/report-json.md).
    static func json(_ r: ProbeResult) -> [(String, OrderedJSON)] {
        switch r.kind {
        case .http, .websocket, .stream: []
        case .burst: BurstReport.json(r)
        case .journey: JourneyReport.json(r)
        }
    }

    /// Markdown report: evidence of a failure after its message, before the failed conditions.
    static func evidence(_ r: ProbeResult) -> [String] {
        switch r.kind {
        case .http: HTTPReport.evidence(r)
        case .websocket: HTTPReport.evidence(r) + WebSocketReport.evidence(r)
        case .stream: HTTPReport.evidence(r) + StreamReport.evidence(r)
        case .burst: BurstReport.evidence(r)
        case .journey: JourneyReport.evidence(r)
        }
    }

    /// JUnit report: lines of a failure's body after verdict, class and message, before the conditions.
    static func junit(_ r: ProbeResult) -> [String] {
        switch r.kind {
        case .http, .stream: HTTPReport.junit(r)
        case .websocket: HTTPReport.junit(r) + WebSocketReport.junit(r)
        case .burst: []
        case .journey: JourneyReport.junit(r)
        }
    }
}

/// The recording's per-kind fields of a result line: what each kind writes and reads back.
enum KindRecording {
    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        switch r.kind {
        case .http: HTTPRecording.encode(r, into: &d)
        case .websocket: HTTPRecording.encode(r, into: &d); WebSocketRecording.encode(r, into: &d)
        case .stream: HTTPRecording.encode(r, into: &d); StreamRecording.encode(r, into: &d)
        case .burst: BurstRecording.encode(r, into: &d)
        case .journey: JourneyRecording.encode(r, into: &d)
        }
    }

    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        switch r.kind {
        case .http: HTTPRecording.decode(d, into: &r)
        case .websocket: HTTPRecording.decode(d, into: &r); WebSocketRecording.decode(d, into: &r)
        case .stream: HTTPRecording.decode(d, into: &r); StreamRecording.decode(d, into: &r)
        case .burst: BurstRecording.decode(d, into: &r)
        case .journey: JourneyRecording.decode(d, into: &r)
        }
    }
}
