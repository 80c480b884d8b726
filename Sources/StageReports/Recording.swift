import Foundation
import StageModel

/// A recording read back: the header, every entry in order, and what had to be skipped.
public struct Recording: Sendable {
    public var header: RecordingHeader
    public var entries: [RecordEntry]
    /// "line 1234: torn last line skipped (the writer was killed mid-line)".
    public var warnings: [String]

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a recording. A broken *last* line is what a killed writer leaves: it is skipped with a warning
    /// and everything before it replays. A broken line elsewhere is skipped with a warning too (nothing is
    /// lost but that line); only a missing or broken header is an error.
    public static func read(path: String) throws -> Recording {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReadError(description: "\(path): cannot read recording")
        }
        return try parse(data, name: path)
    }

    public static func parse(_ data: Data, name: String = "<recording>") throws -> Recording {
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = data.last == UInt8(ascii: "\n")
        if endsWithNewline { lines.removeLast() }
        guard let first = lines.first, case .header(let header)? = try? RecordingCodec.decode(String(decoding: first, as: UTF8.self)) else {
            throw ReadError(description: "\(name):1: not a stagetop recording (no header line)")
        }
        guard header.version <= RecordingCodec.version else {
            throw ReadError(description: "\(name):1: recording version \(header.version) is newer than this stagetop (\(RecordingCodec.version))")
        }
        var entries: [RecordEntry] = []
        entries.reserveCapacity(lines.count)
        var warnings: [String] = []
        for (i, raw) in lines.enumerated().dropFirst() {
            let isLast = i == lines.count - 1
            do {
                entries.append(try RecordingCodec.decode(String(decoding: raw, as: UTF8.self)))
            } catch {
                if isLast && !endsWithNewline {
                    warnings.append("\(name):\(i + 1): torn last line skipped (the writer stopped mid-line); everything before it is replayed")
                } else {
                    warnings.append("\(name):\(i + 1): skipped: \(error)")
                }
            }
        }
        return Recording(header: header, entries: entries, warnings: warnings)
    }

    /// The probe events in order (header and cycle markers left out).
    public var events: [ProbeEvent] {
        entries.compactMap { if case .event(let e) = $0 { return e } else { return nil } }
    }

    /// A store with every event applied: the state at the end of the recording.
    public func finalStore() -> Store {
        var store = header.makeStore()
        for e in events { store.apply(e) }
        return store
    }
}

/// Appends a recording as probes report. Each line is written whole; at every cycle boundary the file is
/// flushed and fsynced, so a killed writer loses at most the cycle in progress (and leaves at most one torn line).
public final class RecordingWriter: @unchecked Sendable {  // serialised by `lock`
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false

    public init(path: String, header: RecordingHeader) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Recording.ReadError(description: "\(path): cannot write recording (\(String(cString: strerror(errno))))")
        }
        write(.header(header))
        fsync(fd)
    }

    public func record(_ event: ProbeEvent) { write(.event(event)) }

    /// Marks a closed cycle and makes everything so far durable.
    public func cycleClosed(_ number: Int, at: Date) {
        write(.cycle(number: number, at: at))
        lock.lock(); defer { lock.unlock() }
        if !closed { fsync(fd) }
    }

    public func close() {
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        closed = true
        fsync(fd)
        _ = Glibc.close(fd)
    }

    deinit { close() }

    private func write(_ entry: RecordEntry) {
        guard let line = RecordingCodec.encode(entry) else { return }
        let bytes = Array((line + "\n").utf8)
        lock.lock(); defer { lock.unlock() }
        guard !closed else { return }
        FileWrite.all(bytes, to: fd)
    }
}

#if canImport(Glibc)
import Glibc
#endif
