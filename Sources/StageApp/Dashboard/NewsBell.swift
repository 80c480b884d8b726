import Foundation
import StageModel

/// Wakes the dashboard loop's key read when there is news (a verdict change, a close, a banner), so the loop
/// can wait for keys half a second at a time instead of looking every 50 ms: those twenty looks a second were
/// 5 % of `watch`'s CPU with 100 probes a second (perf), and an idle `watch` took 0.55 % of a core (0.3 %
/// with the bell). A pipe, because the loop waits in `poll(2)` on the terminal's input and this together.
final class NewsBell: Sendable {
    /// The end the loop waits on (readable when rung).
    let fd: Int32
    private let writeEnd: Int32
    /// A byte is in the pipe and not yet drained: ringing again writes nothing.
    private let rung = Locked(false)

    /// Nil when no pipe could be made (the loop then looks every 50 ms, as without one).
    init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for f in fds { _ = fcntl(f, F_SETFL, fcntl(f, F_GETFL) | O_NONBLOCK); _ = fcntl(f, F_SETFD, FD_CLOEXEC) }
        fd = fds[0]; writeEnd = fds[1]
    }

    deinit {
        close(fd)
        close(writeEnd)
    }

    /// Any thread: news came.
    func ring() {
        guard rung.withLock({ r in defer { r = true }; return !r }) else { return }
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// The loop's thread: the news is being drawn; the next ring wakes it again.
    func drain() {
        guard rung.withLock({ r in defer { r = false }; return r }) else { return }
        var buffer = [UInt8](repeating: 0, count: 16)
        while read(fd, &buffer, buffer.count) > 0 {}
    }
}
