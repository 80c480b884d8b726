import Foundation

/// Substring search on UTF-8 bytes (memchr for the first byte, then memcmp). Stricter than `String.contains`, which matches whole
/// characters: a secret followed by a combining mark still counts as found here, and is masked.
enum ByteSearch {
    static func occurs(_ needle: String, in text: String) -> Bool {
        var text = text
        return text.withUTF8 { occurs(needle, in: UnsafeRawBufferPointer($0)) }
    }

    static func occurs(_ needle: String, in bytes: UnsafeRawBufferPointer) -> Bool {
        var needle = needle
        return needle.withUTF8 { n in
            guard n.count > 0, bytes.count >= n.count, let base = bytes.baseAddress else { return n.isEmpty }
            return find(n, in: UnsafeRawBufferPointer(start: base, count: bytes.count)) != nil
        }
    }

    /// The offset of the first `needle` in `hay`.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, let n = needle.baseAddress, let h = hay.baseAddress, hay.count >= needle.count else { return nil }
        var i = 0
        let last = hay.count - needle.count
        while i <= last {
            guard let hit = memchr(h + i, Int32(first), last - i + 1) else { return nil }
            let at = h.distance(to: UnsafeRawPointer(hit))
            if memcmp(h + at, n, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    /// `text` with every occurrence of `needle` (left to right, not overlapping) replaced by `replacement`.
    static func replacing(_ needle: String, with replacement: String, in text: String) -> String {
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return text }
        var out: [UInt8] = []
        var text = text
        text.withUTF8 { t in
            out.reserveCapacity(t.count)
            var i = 0
            while i < t.count {
                let rest = UnsafeRawBufferPointer(start: t.baseAddress! + i, count: t.count - i)
                guard let offset = n.withUnsafeBufferPointer({ find($0, in: rest) }) else { break }
                let at = i + offset
                out.append(contentsOf: t[i..<at])
                out.append(contentsOf: replacement.utf8)
                i = at + n.count
            }
            if i < t.count { out.append(contentsOf: t[i..<t.count]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
