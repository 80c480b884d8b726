import Foundation
import StageModel

/// A stream run in a recording: body timing, event names, and the watchdog that fired (its probe is the
/// result's own, so it is not written twice).
enum StreamRecording {
    struct DTO: Codable {
        var firstByteMs: Double?
        var chunks: Int
        var bytes: Int
        var events: [String]
        var longestGapMs: Double?
        var watchdog: WatchdogDTO?
    }

    struct WatchdogDTO: Codable {
        var limit: WatchdogLimit
        var limitMs: Double
        var at: Date
        var lateByMs: Double
        var events: Int
        var bytes: Int
    }

    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        d.stream = r.stream.map { s in
            DTO(firstByteMs: s.firstByteMs, chunks: s.chunks, bytes: s.bytes, events: s.events, longestGapMs: s.longestGapMs,
                watchdog: s.watchdog.map { WatchdogDTO(limit: $0.limit, limitMs: $0.limitMs, at: $0.at, lateByMs: $0.lateByMs, events: $0.events, bytes: $0.bytes) })
        }
    }

    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        r.stream = d.stream.map { s in
            StreamInfo(firstByteMs: s.firstByteMs, chunks: s.chunks, bytes: s.bytes, events: s.events, longestGapMs: s.longestGapMs,
                       watchdog: s.watchdog.map { WatchdogFire(probe: d.probe, limit: $0.limit, limitMs: $0.limitMs, at: $0.at, lateByMs: $0.lateByMs, events: $0.events, bytes: $0.bytes) })
        }
    }
}
