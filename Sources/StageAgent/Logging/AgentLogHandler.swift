import Foundation
import Logging
import StageModel

/// `--log-format`: one line per event on stderr, logfmt (`ts=… level=info msg="…" probe=health`) for
/// people and `grep`, JSON for log shippers (Loki, Vector, journald's JSON mode).
public enum AgentLogFormat: String, Sendable, CaseIterable {
    case logfmt, json
}

/// A swift-log handler that writes whole lines to a file descriptor (stderr), so lines from many tasks
/// never interleave. Secrets never get here: the agent logs names, verdicts and scrubbed messages only.
public struct AgentLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info
    let format: AgentLogFormat
    let sink: LineSink

    public init(format: AgentLogFormat, sink: LineSink = .standardError) {
        self.format = format; self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        sink.write(Self.line(format: format, at: Date(), level: event.level, message: event.message.description, fields: fields))
    }

    static func line(format: AgentLogFormat, at: Date, level: Logger.Level, message: String, fields: Logger.Metadata) -> String {
        let ts = timestamp(at)
        let pairs = fields.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .logfmt:
            var out = "ts=\(ts) level=\(level.rawValue) msg=\(logfmtValue(message))"
            for (k, v) in pairs { out += " \(k)=\(logfmtValue(v))" }
            return out
        case .json:
            var out = "{\"ts\":\"\(ts)\",\"level\":\"\(level.rawValue)\",\"msg\":\(jsonString(message))"
            for (k, v) in pairs { out += ",\(jsonString(k)):\(jsonString(v))" }
            return out + "}"
        }
    }

    static func timestamp(_ d: Date) -> String {
        d.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// Bare when it can be, quoted (with `"` and `\` escaped, newlines as `\n`) when it has a space,
    /// `=`, a quote or nothing at all.
    static func logfmtValue(_ s: String) -> String {
        let needsQuotes = s.isEmpty || s.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.isNewline }
        guard needsQuotes else { return s }
        var out = "\""
        for ch in s {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out + "\""
    }

    static func jsonString(_ s: String) -> String { AgentResponder.jsonString(s) }
}

/// Where log lines go: stderr, or (in tests) a buffer.
public final class LineSink: Sendable {
    private let fd: Int32
    private let captures: Bool
    private let captured = Locked<[String]>([])

    public static let standardError = LineSink(fd: 2)

    init(fd: Int32) { self.fd = fd; captures = false }

    /// Keeps lines in memory instead of writing them (tests read them back).
    public init(capturing: Void) { fd = -1; captures = true }

    public var lines: [String] { captured.withLock { $0 } }

    func write(_ line: String) {
        if captures { captured.withLock { $0.append(line) }; return }
        FileWrite.all(Array((line + "\n").utf8), to: fd)
    }
}
