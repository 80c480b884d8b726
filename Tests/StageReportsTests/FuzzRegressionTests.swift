import Foundation
import Testing
import StageReports

/// Inputs the libFuzzer targets in Fuzz/ crashed on, kept so the fixes stay fixed.
@Suite("Fuzz regressions: recordings")
struct FuzzRegressionTests {
    static let header = #"{"at":"2026-08-29T10:40:00.000Z","config":"c","insecure":false,"probes":[],"target":"t","type":"header","version":1}"#

    /// FuzzRecording: a timestamp with 20+ fractional digits overflowed Int while parsing, so `stagetop replay`
    /// trapped on a hand-edited or corrupted file. Now it is a bad timestamp like any other.
    @Test("a timestamp with too many fractional digits is a bad line, not a crash")
    func longFractionalSeconds() throws {
        let long = "2026-08-29T10:40:00.1234567890123456789012345Z"
        let badHeader = Self.header.replacingOccurrences(of: "2026-08-29T10:40:00.000Z", with: long)
        #expect(throws: Recording.ReadError.self) { try Recording.parse(Data((badHeader + "\n").utf8)) }

        let note = #"{"at":"\#(long)","message":"m","type":"note"}"#
        let rec = try Recording.parse(Data((Self.header + "\n" + note + "\n").utf8))
        #expect(rec.entries.isEmpty && rec.warnings.count == 1, "the line is skipped with a warning")

        let nanos = #"{"at":"2026-08-29T10:40:00.123456789Z","message":"m","type":"note"}"#
        #expect(try Recording.parse(Data((Self.header + "\n" + nanos + "\n").utf8)).entries.count == 1, "nanoseconds still read")
    }
}
