import Foundation
import StageModel

/// `--log FILE`: the event log as plain lines, appended as entries appear. Nothing is ever printed
/// over the dashboard, so this is where a long session's history goes.
public final class EventLogFile: @unchecked Sendable {  // touched only by the UI thread
    private let handle: FileHandle
    private var written = 0

    public init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        h.seekToEndOfFile()
        handle = h
    }

    /// Writes the entries logged since the last call (the store's log is bounded; `logTotal` counts all).
    public func append(newEntriesOf snapshot: Snapshot) {
        let new = min(snapshot.logTotal - written, snapshot.log.count)
        guard new > 0 else { return }
        var text = ""
        for e in snapshot.log.suffix(new) { text += EventLogFile.line(e) + "\n" }
        handle.write(Data(text.utf8))
        written = snapshot.logTotal
    }

    public static func line(_ e: LogEntry) -> String {
        var parts = [JSONReportTime.format(e.at)]
        if let p = e.probe { parts.append(p) }
        if let to = e.to { parts.append("\(e.from?.rawValue ?? "new") -> \(to.rawValue)") }
        if let c = e.failureClass { parts.append(c.rawValue) }
        parts.append(e.message)
        return parts.joined(separator: " ")
    }
}

enum JSONReportTime {
    static func format(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
