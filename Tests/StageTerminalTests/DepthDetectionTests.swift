import StageUI
import Testing
@testable import StageTerminal

@Suite struct DepthDetectionTests {
    let xterm256 = ColorCapabilities(colors: 256, canChangeColor: true)
    let xterm16 = ColorCapabilities(colors: 16)
    let xterm8 = ColorCapabilities(colors: 8)
    let direct = ColorCapabilities(colors: 0x1000000, directColor: true)
    let vt100 = ColorCapabilities(colors: -1, hasColors: false)

    @Test func byColourCount() {
        #expect(DepthDetection.detect(environment: [:], capabilities: xterm256) == .c256)
        #expect(DepthDetection.detect(environment: [:], capabilities: xterm16) == .ansi16)
        #expect(DepthDetection.detect(environment: [:], capabilities: xterm8) == .ansi8)
        #expect(DepthDetection.detect(environment: [:], capabilities: ColorCapabilities(colors: 4)) == .mono)
        #expect(DepthDetection.detect(environment: [:], capabilities: vt100) == .mono)
    }

    @Test func noColorWinsWhenSetAndNotEmpty() {
        #expect(DepthDetection.detect(environment: ["NO_COLOR": "1"], capabilities: direct) == .mono)
        #expect(DepthDetection.detect(environment: ["NO_COLOR": "yes", "COLORTERM": "truecolor"], capabilities: xterm256) == .mono)
        #expect(DepthDetection.detect(environment: ["NO_COLOR": ""], capabilities: xterm256) == .c256)
        #expect(DepthDetection.detect(environment: [:], capabilities: xterm256, noColor: true) == .mono)
    }

    @Test func colortermTruecolorNeedsADirectColourTerminal() {
        // xterm-256color with COLORTERM=truecolor: ncurses can only send palette indexes.
        #expect(DepthDetection.detect(environment: ["COLORTERM": "truecolor"], capabilities: xterm256) == .c256)
        #expect(DepthDetection.detect(environment: ["COLORTERM": "24bit"], capabilities: xterm256) == .c256)
        #expect(DepthDetection.detect(environment: ["COLORTERM": "truecolor"], capabilities: direct) == .truecolor)
        // A direct-colour entry is truecolor whatever COLORTERM says: its numbers are RGB.
        #expect(DepthDetection.detect(environment: [:], capabilities: direct) == .truecolor)
        // COLORTERM does not invent colours an 8-colour terminal lacks.
        #expect(DepthDetection.detect(environment: ["COLORTERM": "truecolor"], capabilities: xterm8) == .ansi8)
    }

    @Test func requestedDepthIsCappedAndOverridesNoColor() {
        #expect(DepthDetection.resolve(requested: .truecolor, environment: [:], capabilities: xterm256, noColor: false) == .c256)
        #expect(DepthDetection.resolve(requested: .c256, environment: [:], capabilities: xterm8, noColor: false) == .ansi8)
        #expect(DepthDetection.resolve(requested: .ansi16, environment: [:], capabilities: direct, noColor: false) == .ansi16)
        #expect(DepthDetection.resolve(requested: .ansi8, environment: ["NO_COLOR": "1"], capabilities: xterm256, noColor: false) == .ansi8)
        #expect(DepthDetection.resolve(requested: .c256, environment: [:], capabilities: xterm256, noColor: true) == .mono)
        #expect(DepthDetection.resolve(requested: nil, environment: ["NO_COLOR": "1"], capabilities: xterm256, noColor: false) == .mono)
        #expect(DepthDetection.resolve(requested: .c256, environment: [:], capabilities: vt100, noColor: false) == .mono)
    }
}
