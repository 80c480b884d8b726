import CNCursesw
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pseudo-terminal for running real ncurses inside the test process: ncurses gets the slave side
/// as its terminal, the test plays the terminal emulator on the master side (reads what ncurses
/// writes, sends key bytes).
final class PTY: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let master: Int32
    let slave: Int32
    /// ncurses writes the screen here and reads keys from `input` (both the slave side).
    let output: UnsafeMutablePointer<FILE>
    let input: UnsafeMutablePointer<FILE>

    private let lock = NSLock()
    private var received: [UInt8] = []  // guarded by `lock`
    private let readerDone = DispatchSemaphore(value: 0)
    private var closed = false

    init(rows: Int, cols: Int) throws {
        var m: Int32 = -1, s: Int32 = -1
        guard stn_open_pty(&m, &s) == 0 else { throw Failure(description: "no pty: errno \(errno)") }
        master = m
        slave = s
        guard let out = fdopen(dup(slave), "w"), let inp = fdopen(dup(slave), "r") else {
            throw Failure(description: "cannot open the pty slave: errno \(errno)")
        }
        output = out
        input = inp
        _ = stn_set_winsize(slave, Int32(rows), Int32(cols))
        let fd = master
        Thread.detachNewThread { [self] in
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(fd, &buf, buf.count)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.withLock { received.append(contentsOf: buf[0..<n]) }
            }
            readerDone.signal()
        }
    }

    /// Everything ncurses wrote so far.
    var bytes: [UInt8] { lock.withLock { received } }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    func clear() { lock.withLock { received.removeAll() } }

    /// Waits (bounded) until what ncurses wrote contains `needle`.
    @discardableResult
    func waitFor(_ needle: String, timeout: Duration = .seconds(3)) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if text.contains(needle) { return true }
            usleep(5_000)
        }
        return text.contains(needle)
    }

    /// Types bytes as the user would.
    func send(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    func resize(rows: Int, cols: Int) { _ = stn_set_winsize(master, Int32(rows), Int32(cols)) }

    /// The slave's terminal modes, as a program run after us would find them.
    func termios() -> termios {
        var t = Glibc.termios()
        tcgetattr(slave, &t)
        return t
    }

    func close() {
        guard !closed else { return }
        closed = true
        fclose(output)
        fclose(input)
        _ = Glibc.close(slave)
        // With every slave descriptor closed, the reader's read() on the master fails with EIO.
        _ = readerDone.wait(timeout: .now() + 2)
        _ = Glibc.close(master)
    }

    deinit { close() }
}
