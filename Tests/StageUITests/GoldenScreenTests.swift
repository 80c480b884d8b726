// Golden screens: the main, detail, help and cycle screens rendered headless from GoldenFixtures (fixed
// dates, UTC) at 80x24 and 120x40, compared exactly with the text grids in Tests/StageUITests/Golden/.
// Trailing spaces are trimmed from each line (editors strip them); everything else must match.
//
// After a deliberate change to a screen, rewrite the grids with one command and review the diff:
//
//     STAGETOP_UPDATE_GOLDEN=1 swift test --filter GoldenScreenTests
import Foundation
import Testing
import StageModel
@testable import StageUI

@Suite struct GoldenScreenTests {
    struct Screen: CustomTestStringConvertible, Sendable {
        var name: String
        var width: Int
        var height: Int
        var setUp: @Sendable (inout ViewState) -> Void

        var file: String { "\(name)-\(width)x\(height).txt" }
        var testDescription: String { file }
    }

    static let sizes = [(80, 24), (120, 40)]
    static let screens: [Screen] = sizes.flatMap { w, h in
        [
            Screen(name: "main", width: w, height: h) { _ in },
            Screen(name: "detail-stream", width: w, height: h) { $0.detail = "chat_stream" },
            Screen(name: "detail-websocket", width: w, height: h) { $0.detail = "websocket_connection" },
            Screen(name: "help", width: w, height: h) { $0.showHelp = true },
            Screen(name: "cycles", width: w, height: h) { $0.showCycles = true },
        ]
    }

    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["STAGETOP_UPDATE_GOLDEN"] == "1" }

    /// The screen as its golden file holds it: each line without trailing spaces, a newline after each.
    static func grid(_ screen: Screen) -> String {
        var view = ViewState(timeZone: TimeZone(identifier: "UTC")!)
        screen.setUp(&view)
        let renderer = Renderer(requests: GoldenFixtures.requests)
        let buffer = renderer.frame(GoldenFixtures.snapshot(), view: &view, width: screen.width, height: screen.height)
        return buffer.lines.map { line in
            var l = Substring(line)
            while l.last == " " { l.removeLast() }
            return String(l) + "\n"
        }.joined()
    }

    /// Where two grids first differ, readably: the line number, then expected and actual.
    static func difference(expected: String, actual: String) -> String? {
        guard expected != actual else { return nil }
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        let k = (0..<min(e.count, a.count)).first { e[$0] != a[$0] } ?? min(e.count, a.count)
        func at(_ lines: [String]) -> String { k < lines.count ? "|" + lines[k] + "|" : "(no line)" }
        return "first difference at line \(k + 1) (of \(e.count - 1) expected lines):\n  expected \(at(e))\n  actual   \(at(a))"
    }

    @Test(arguments: screens)
    func screenMatchesItsGoldenGrid(_ screen: Screen) throws {
        let url = Self.goldenDir.appendingPathComponent(screen.file)
        let actual = Self.grid(screen)
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDir, withIntermediateDirectories: true)
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing \(url.path): run STAGETOP_UPDATE_GOLDEN=1 swift test --filter GoldenScreenTests")
            return
        }
        if let diff = Self.difference(expected: expected, actual: actual) {
            Issue.record("\(screen.file) \(diff)\n(after a deliberate change: STAGETOP_UPDATE_GOLDEN=1 swift test --filter GoldenScreenTests)")
        }
    }

    @Test func theDiffNamesTheFirstDifferingLine() {
        let d = Self.difference(expected: "a\nb\nc\n", actual: "a\nB\nc\n")
        #expect(d == "first difference at line 2 (of 3 expected lines):\n  expected |b|\n  actual   |B|")
        #expect(Self.difference(expected: "a\n", actual: "a\n") == nil)
        #expect(Self.difference(expected: "a\nb\n", actual: "a\n")?.contains("line 2") == true)
    }

    @Test func renderingIsDeterministic() {
        for screen in Self.screens { #expect(Self.grid(screen) == Self.grid(screen)) }
    }
}
