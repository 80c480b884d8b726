import Foundation
import StageModel

/// How a watchdog meter reads on screen. Which limits run and what they are is the model's rule
/// (`StreamProgress.meters(now:)`, Sources/StageModel/Rules/StreamLimits.swift), the one the probe's
/// watchdog fires on; the UI only words and colours it.
extension WatchdogMeter {
    /// What the meter waits for: `first byte`, `gap`, `total`.
    var label: String {
        switch phase {
        case .firstByte: "first byte"
        case .gap: "gap"
        case .total: "total"
        }
    }

    /// `4.2s/5.0s`, or just `4.2s` with no limit configured.
    var figures: String {
        Format.elapsed(elapsedMs / 1000) + (limitMs.map { "/" + Format.elapsed($0 / 1000) } ?? "")
    }

    /// The meter colour: calm, warning from 80 % of the limit, the hang colour once past it.
    var role: Role {
        isOver ? .statusHang : fraction >= 0.8 ? .latencyWarn : .gaugeFill
    }
}
