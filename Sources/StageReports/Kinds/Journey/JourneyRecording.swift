import Foundation
import StageModel

/// A journey's steps in a recording (and the agent's state document, which writes results the same way).
/// Captured values are written as the result holds them: secret ones are already masked.
enum JourneyRecording {
    struct StepDTO: Codable {
        var name: String
        var kind: ProbeKind
        var verdict: Verdict
        var failureClass: FailureClass?
        var status: Int?
        var closeCode: Int?
        var latencyMs: Double?
        var message: String
        var offsetMs: Double?
        var durationMs: Double?
        var captures: [CaptureDTO]?
        var conditions: [ConditionResult]?
    }

    struct CaptureDTO: Codable {
        var name: String
        var value: String
        var secret: Bool
    }

    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        d.journey = r.journey.map { j in
            j.steps.map { s in
                StepDTO(name: s.name, kind: s.kind, verdict: s.verdict, failureClass: s.failureClass, status: s.status, closeCode: s.closeCode,
                        latencyMs: s.latencyMs, message: s.message, offsetMs: s.offsetMs, durationMs: s.durationMs,
                        captures: s.captures.isEmpty ? nil : s.captures.map { CaptureDTO(name: $0.name, value: $0.value, secret: $0.secret) },
                        conditions: s.conditions.isEmpty ? nil : s.conditions)
            }
        }
    }

    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        r.journey = d.journey.map { steps in
            JourneyInfo(steps: steps.map { s in
                JourneyStepResult(name: s.name, kind: s.kind, verdict: s.verdict, failureClass: s.failureClass, status: s.status,
                                  closeCode: s.closeCode, latencyMs: s.latencyMs, message: s.message, offsetMs: s.offsetMs,
                                  durationMs: s.durationMs,
                                  captures: (s.captures ?? []).map { CapturedValue(name: $0.name, value: $0.value, secret: $0.secret) },
                                  conditions: s.conditions ?? [])
            })
        }
    }
}
