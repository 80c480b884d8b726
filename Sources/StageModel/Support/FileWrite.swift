#if canImport(Glibc)
import Glibc
#endif

/// Writes all of `bytes` to a file descriptor: retried on EINTR and after short writes. False when the
/// descriptor refused (a closed pipe, a full disk): callers decide whether that matters.
public enum FileWrite {
    @discardableResult
    public static func all(_ bytes: [UInt8], to fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}
