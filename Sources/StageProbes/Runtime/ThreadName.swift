import Foundation

/// Names the calling thread as `top -H`, `perf` and `/proc/PID/task/*/comm` show it (at most 15 bytes:
/// Linux keeps the first 15). Written to `/proc/thread-self/comm`, which is what `pthread_setname_np`
/// does for the calling thread (Swift's Glibc module does not export it, and `prctl` is variadic).
///
/// Not `Thread.current.name = …`: in a full test run a thread named that way sometimes kept its creator's
/// name ("…default-qos", a pool thread's) in the kernel and in `Thread.current.name` alike, though its work
/// ran on it (`Tests/StageProbesTests/DriverThreadTests.swift` reads `/proc/thread-self/comm`).
func nameThisThread(_ name: String) {
    let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array(name.utf8.prefix(15))
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}
