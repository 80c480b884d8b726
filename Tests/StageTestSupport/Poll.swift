import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Asks `probe` every `every` seconds until it gives a value or `timeout` seconds pass; then its last answer.
/// The one bounded wait of the end-to-end drivers (screens, marker files): never a fixed sleep.
public func poll<T>(timeout: Double, every: Double = 0.05, _ probe: () -> T?) -> T? {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let value = probe() { return value }
        usleep(useconds_t(every * 1_000_000))
    }
    return probe()
}

/// The text of the file at `path` once `ready` holds for it (default: not empty), within `timeout` seconds.
public func waitForFile(_ path: String, timeout: Double, until ready: (String) -> Bool = { !$0.isEmpty }) -> String? {
    poll(timeout: timeout) { (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { ready($0) ? $0 : nil } }
}
