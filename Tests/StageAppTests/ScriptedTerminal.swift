import Foundation
import StageApp
import StageUI

/// A headless terminal for the dashboard loop: it records every frame, and answers each key read from a
/// script that sees the last frame drawn. Bounded: after `maxReads` reads it reports a hangup, so a
/// script that never says `q` ends the loop instead of hanging the test.
final class ScriptedTerminal: TerminalBackend, @unchecked Sendable {  // the loop's thread only, then the test's
    let width: Int
    let height: Int
    let colorDepth: ColorDepth = .truecolor
    let unicode = true
    var interrupted: Int32?
    var hungUp: Bool { reads >= maxReads || hangUpNow }
    var hangUpNow = false
    private(set) var frames: [Buffer] = []
    private(set) var stopped = 0
    private(set) var reads = 0
    let maxReads: Int
    /// Sees the last frame's text (nil before the first) and the read count; returns the next key.
    let script: (ScriptedTerminal, String?) -> Key
    /// Real time per empty read, as `Terminal.readKey`'s timeout would take.
    let idleSleep: TimeInterval

    init(width: Int = 120, height: Int = 40, maxReads: Int = 2000, idleSleep: TimeInterval = 0.005,
         script: @escaping (ScriptedTerminal, String?) -> Key) {
        self.width = width; self.height = height; self.maxReads = maxReads; self.idleSleep = idleSleep; self.script = script
    }

    /// Presses `keys` one per read, then `q`.
    convenience init(keys: [Key], width: Int = 120, height: Int = 40) {
        var queue = keys
        self.init(width: width, height: height) { _, _ in queue.isEmpty ? .char("q") : queue.removeFirst() }
    }

    var lastText: String? { frames.last?.text }

    func readKey(timeoutMs: Int) -> Key {
        reads += 1
        let key = script(self, lastText)
        if key == .none, idleSleep > 0 { Thread.sleep(forTimeInterval: idleSleep) }
        return key
    }

    func draw(_ frame: Buffer) { frames.append(frame) }
    private(set) var bells = 0
    func bell() { bells += 1 }
    func stop() { stopped += 1 }
}
