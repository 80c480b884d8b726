import Foundation
import StageUI

/// Frame time (render + diff) of the dashboard for N probes at W×H, and the bytes a steady-state frame
/// changes against a full repaint. Goals (issue 3): p99 ≤ 2 ms for 1,000 probes at 200x60; ≤ 5 % bytes.
enum RenderBench {
    static func run(_ o: Options) {
        let probes = o.int("probes", 1000), width = o.int("width", 200), height = o.int("height", 60)
        let frames = o.int("frames", 2000)
        var session = SyntheticDashboard.Session(probes: probes, width: width, height: height)
        for _ in 0..<100 { session.advance(); _ = session.renderFrame() }  // warm up
        var times: [Double] = []
        var changed = 0, full = 0, worst = 0.0
        times.reserveCapacity(frames)
        for _ in 0..<frames {
            session.advance()
            let t0 = DispatchTime.now().uptimeNanoseconds
            let stats = session.renderFrame()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            changed += stats.changedBytes; full += stats.fullBytes
            worst = max(worst, stats.changedFraction)
        }
        times.sort()
        func pct(_ p: Double) -> Double { times[min(times.count - 1, Int(Double(times.count) * p))] }
        print("render+diff, \(probes) probes at \(width)x\(height), \(frames) steady-state frames")
        print(String(format: "  frame time  p50 %.3f ms  p99 %.3f ms  max %.3f ms", pct(0.5), pct(0.99), times.last ?? 0))
        print(String(format: "  bytes changed per frame  mean %.3f%% of a full repaint (%d B), worst %.2f%%",
                     Double(changed) / Double(max(1, full)) * 100, full / max(1, frames), worst * 100))
    }
}
