import Foundation
import StageModel

/// One limit of a running stream measured against the snapshot's `takenAt`: how long it has been
/// waiting (for the first byte, since the last data, since the start) and the limit it must stay under.
struct StreamMeter: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case firstByte, gap, total

        var label: String {
            switch self {
            case .firstByte: "first byte"
            case .gap: "gap"
            case .total: "total"
            }
        }

        var limit: WatchdogLimit {
            switch self {
            case .firstByte: .firstByte
            case .gap: .maxGap
            case .total: .finish
            }
        }
    }

    var kind: Kind
    var elapsedMs: Double
    var limitMs: Double?

    /// Past the limit while the run has not been judged yet: the watchdog is about to fire (or late).
    var isOver: Bool { limitMs.map { elapsedMs > $0 } ?? false }
    /// Elapsed as a fraction of the limit (0 without one).
    var fraction: Double { limitMs.map { $0 > 0 ? elapsedMs / $0 : 1 } ?? 0 }

    /// `4.2s/5.0s`, or just `4.2s` with no limit configured.
    var figures: String {
        Format.elapsed(elapsedMs / 1000) + (limitMs.map { "/" + Format.elapsed($0 / 1000) } ?? "")
    }
}

/// Which limits of a live stream are running now. All time comes from `now` (the snapshot's
/// `takenAt`), so two snapshots a frame apart move the meters without the UI reading a clock.
enum StreamWatch {
    /// The phase meter (waiting for the first byte, or the gap since the last data) and the total.
    static func meters(_ p: StreamProgress, now: Date) -> [StreamMeter] {
        let sinceStart = max(0, now.timeIntervalSince(p.startedAt) * 1000)
        let phase: StreamMeter
        if let first = p.firstByteAt {
            let lastData = max(first, p.lastDataAt ?? first)
            phase = StreamMeter(kind: .gap, elapsedMs: max(0, now.timeIntervalSince(lastData) * 1000), limitMs: p.maxGapMs)
        } else {
            phase = StreamMeter(kind: .firstByte, elapsedMs: sinceStart, limitMs: p.firstByteWithinMs)
        }
        return [phase, StreamMeter(kind: .total, elapsedMs: sinceStart, limitMs: p.finishWithinMs)]
    }

    /// The first limit this stream is already past, if any.
    static func overLimit(_ p: StreamProgress, now: Date) -> StreamMeter? {
        meters(p, now: now).first { $0.isOver }
    }

    /// The meter colour: calm, warning from 80 % of the limit, the hang colour once past it.
    static func role(_ m: StreamMeter) -> Role {
        m.isOver ? .statusHang : m.fraction >= 0.8 ? .latencyWarn : .gaugeFill
    }
}
