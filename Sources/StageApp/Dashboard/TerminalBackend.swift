import Foundation
import StageTerminal
import StageUI

/// What the dashboard loop needs from a terminal: its size and abilities, keys, frames, and whether it
/// is still there. `Terminal` (ncurses, StageTerminal) is the real one; tests drive the loop headless
/// with a scripted one, so the loop's behaviour is tested without tmux.
public protocol TerminalBackend: AnyObject {
    var width: Int { get }
    var height: Int { get }
    var colorDepth: ColorDepth { get }
    var unicode: Bool { get }
    /// The signal that asked the loop to end (SIGINT, SIGTERM, SIGHUP …), nil while none has.
    var interrupted: Int32? { get }
    /// True when the terminal went away without a signal reaching us (ssh dropped, pane killed).
    var hungUp: Bool { get }
    /// The next key, or `.none` after `timeoutMs`.
    func readKey(timeoutMs: Int) -> Key
    /// The same, or `.none` as soon as the file descriptor `wake` is readable (news for the screen).
    func readKey(timeoutMs: Int, wake: Int32?) -> Key
    /// Shows a whole frame (the backend writes only what changed).
    func draw(_ frame: Buffer)
    /// Rings the bell (`watch --bell`, on a probe flipping to failing).
    func bell()
    /// Restores the terminal. Called once, however the loop ends.
    func stop()
}

extension TerminalBackend {
    /// A backend that cannot wait on a file descriptor waits as asked and leaves news to the next turn.
    public func readKey(timeoutMs: Int, wake: Int32?) -> Key { readKey(timeoutMs: timeoutMs) }
}

/// The real terminal: everything the loop needs is StageTerminal's own API.
extension Terminal: TerminalBackend {}
