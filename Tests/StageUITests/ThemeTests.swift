import Foundation
import Testing
@testable import StageUI

@Suite struct ThemeTests {
    /// The repository root, found from this file's path (Tests/StageUITests/ThemeTests.swift).
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let themesDir = repoRoot.appendingPathComponent("themes").path
    static let shipped = ["default", "dark", "light", "high-contrast", "colorblind", "mono"]

    @Test func parsesPaletteRolesAttributesAndComments() throws {
        let text = """
        # a theme
        [palette]
        accent = #ff8800   # inline comment
        cool   = 33

        [roles]
        status.pass = fg:accent bg:default bold underline
        status.fail = fg:bright-red bg:cool
        text.dim    = fg:#010203 dim italic reverse
        table.header = plain
        """
        let theme = try ThemeParser.parse(text, file: "t.theme")
        #expect(theme.name == "t")
        #expect(theme[.statusPass] == Style(fg: .rgb(255, 136, 0), bg: .default, attrs: [.bold, .underline]))
        #expect(theme[.statusFail] == Style(fg: .ansi(9), bg: .indexed(33)))
        #expect(theme[.textDim] == Style(fg: .rgb(1, 2, 3), attrs: [.dim, .italic, .reverse]))
        #expect(theme[.tableHeader] == Style())
    }

    @Test func missingRolesFallBackToTheBuiltInDefault() throws {
        let theme = try ThemeParser.parse("[roles]\nstatus.pass = fg:blue\n", file: "partial.theme")
        #expect(theme[.statusPass] == Style(fg: .ansi(4)))
        #expect(theme[.statusFail] == Theme.builtinDefault[.statusFail])
        #expect(theme.resolved(for: .truecolor).styles.count == Role.allCases.count)
    }

    @Test(arguments: [
        ("[roles]\nstatus.pass = fg:green\nstatus.passs = fg:red\n", 3, "unknown role 'status.passs'"),
        ("[palette]\nok = green\n[colours]\n", 3, "unknown section [colours]"),
        ("status.pass = fg:green\n", 1, "outside a section"),
        ("[roles]\n\n# c\nstatus.fail = fg:#12345\n", 4, "bad colour '#12345'"),
        ("[roles]\nstatus.fail = fg:reddish\n", 2, "bad colour 'reddish'"),
        ("[palette]\nok = 256\n", 2, "bad colour '256'"),
        ("[roles]\nstatus.fail = fg:red blinking\n", 2, "unknown word 'blinking'"),
        ("[roles]\nstatus.fail\n", 2, "expected 'key = value'"),
        ("[roles]\nstatus.fail = bold\nstatus.fail = dim\n", 3, "set twice"),
    ])
    func errorsNameFileAndLine(_ text: String, _ line: Int, _ message: String) {
        do {
            _ = try ThemeParser.parse(text, file: "themes/broken.theme")
            Issue.record("expected an error for: \(text)")
        } catch let error as ThemeError {
            #expect(error.file == "themes/broken.theme")
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.hasPrefix("themes/broken.theme:\(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func hashColoursAreNotComments() throws {
        let theme = try ThemeParser.parse("[roles]\ntext = fg:#a0b0c0 # the text\n", file: "x.theme")
        #expect(theme[.text].fg == .rgb(0xA0, 0xB0, 0xC0))
    }

    @Test(arguments: shipped)
    func everyShippedThemeParses(_ name: String) throws {
        let theme = try ThemeLoader.load(nameOrPath: name, searchDirs: [Self.themesDir])
        #expect(theme.name == name)
        // Every shipped theme sets every role itself rather than leaning on fallbacks.
        #expect(Set(theme.styles.keys) == Set(Role.allCases), "\(name) misses \(Set(Role.allCases).subtracting(theme.styles.keys))")
    }

    @Test func theShippedThemeDirectoryHasExactlyTheDocumentedThemes() {
        #expect(ThemeLoader.available(searchDirs: [Self.themesDir]) == ["default", "colorblind", "dark", "high-contrast", "light", "mono"])
    }

    @Test func defaultThemeFileEqualsTheBuiltInTheme() throws {
        let file = try ThemeLoader.load(nameOrPath: Self.themesDir + "/default.theme", searchDirs: [])
        for role in Role.allCases { #expect(file[role] == Theme.builtinDefault[role], "\(role.rawValue)") }
    }

    @Test func monoThemeHasNoColourAndDistinctProblems() throws {
        let mono = try ThemeLoader.load(nameOrPath: "mono", searchDirs: [Self.themesDir])
        for role in Role.allCases { #expect(mono[role].fg == nil && mono[role].bg == nil) }
        let problems = [Role.statusFail, .statusHang, .statusError].map { mono[$0] }
        #expect(Set(problems).count == 3 && !problems.contains(mono[.statusPass]))
    }

    @Test func colorblindThemeNeverPairsRedWithGreen() throws {
        let cb = try ThemeLoader.load(nameOrPath: "colorblind", searchDirs: [Self.themesDir])
        #expect(cb[.statusPass].fg == .rgb(0x56, 0xB4, 0xE9)) // sky blue
        #expect(cb[.statusFail].fg == .rgb(0xD5, 0x5E, 0x00)) // vermillion
        // Glyphs differ too, so colour is never the only signal.
        let g = GlyphSet.unicode
        #expect(Set([g.pass, g.fail, g.hang, g.error, g.skip, g.pending]).count == 6)
    }

    @Test func loaderErrors() {
        #expect(throws: ThemeError.self) { try ThemeLoader.load(nameOrPath: "nope", searchDirs: [Self.themesDir]) }
        #expect(throws: ThemeError.self) { try ThemeLoader.load(nameOrPath: "/no/such/file.theme", searchDirs: []) }
        #expect((try? ThemeLoader.load(nameOrPath: "default", searchDirs: [])) == Theme.builtinDefault)
        #expect(ThemeLoader.next(after: "mono", in: ["default", "dark", "mono"]) == "default")
        #expect(ThemeLoader.next(after: "unknown", in: ["default", "dark"]) == "default")
    }

    @Test func loaderReportsTheFileAndLineOfABrokenThemeFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stageui-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[roles]\nstatus.pass = fg:green\nstatus.fail = fg:#gg0000\n".write(to: dir.appendingPathComponent("bad.theme"), atomically: true, encoding: .utf8)
        do {
            _ = try ThemeLoader.load(nameOrPath: "bad", searchDirs: [dir.path])
            Issue.record("expected an error")
        } catch let e as ThemeError {
            #expect(e.file.hasSuffix("bad.theme") && e.line == 3)
        }
    }
}

@Suite struct ColorDepthTests {
    @Test func hexMapsToTheNearest256Colour() {
        #expect(Color.rgb(255, 0, 0).mapped(to: .c256) == .indexed(196))
        #expect(Color.rgb(0, 0, 0).mapped(to: .c256) == .indexed(16))
        #expect(Color.rgb(128, 128, 128).mapped(to: .c256) == .indexed(244)) // grey ramp beats the cube
        #expect(Color.rgb(0x87, 0xAF, 0xD7).mapped(to: .c256) == .indexed(110)) // exact cube entry
        #expect(Color.rgb(1, 2, 3).mapped(to: .truecolor) == .rgb(1, 2, 3))
        #expect(Color.ansi(3).mapped(to: .c256) == .ansi(3))
    }

    @Test func hexMapsToTheNearestOf16And8() {
        #expect(Color.rgb(250, 10, 10).mapped(to: .ansi16) == .ansi(9))
        #expect(Color.rgb(250, 10, 10).mapped(to: .ansi8) == .ansi(1))
        #expect(Color.rgb(0x56, 0xB4, 0xE9).mapped(to: .ansi8) == .ansi(6)) // Okabe–Ito sky blue → cyan
        #expect(Color.indexed(196).mapped(to: .ansi16) == .ansi(9))
        #expect(Color.ansi(8).mapped(to: .ansi8) == .ansi(7)) // grey must not become invisible black
        #expect(Color.ansi(12).mapped(to: .ansi8) == .ansi(4))
        #expect(Color.default.mapped(to: .ansi8) == .default)
    }

    @Test func monoDropsColourKeepsAttributesAndReversesBackgrounds() {
        let badge = Style(fg: .ansi(0), bg: .ansi(3), attrs: .bold).mapped(to: .mono)
        #expect(badge == Style(attrs: [.bold, .reverse]))
        #expect(Style(fg: .rgb(1, 2, 3), attrs: .underline).mapped(to: .mono) == Style(attrs: .underline))
        let resolved = Theme.builtinDefault.resolved(for: .mono)
        #expect(resolved.styles.values.allSatisfy { $0.fg == nil && $0.bg == nil })
        #expect(resolved[.statusFail].attrs.contains(.bold))
        #expect(resolved[.tableSelected].attrs.contains(.reverse))
    }

    @Test func resolvedThemeIsWhatTheRendererDraws() {
        var v = ViewState()
        let b = Renderer(depth: .mono).frame(Fixtures.failures(), view: &v, width: 80, height: 24)
        #expect(b.cells.allSatisfy { $0.style.fg == nil && $0.style.bg == nil })
        let y = Fixtures.row(b, "backend_health")!
        #expect(b[0, y].style.attrs.contains(.bold))
        let dark = Theme(name: "d", styles: [.statusFail: Style(fg: .rgb(255, 0, 0))])
        let c = Renderer(theme: dark, depth: .c256).frame(Fixtures.failures(), view: &v, width: 80, height: 24)
        #expect(c[0, Fixtures.row(c, "backend_health")!].style.fg == .indexed(196))
    }

    @Test func rgbComponentsForBackends() {
        #expect(Color.xtermRGB(index: 196) == (255, 0, 0))
        #expect(Color.xtermRGB(index: 244) == (128, 128, 128))
        #expect(Color.ansi(4).rgbComponents! == (0, 0, 238))
        #expect(Color.rgb(1, 2, 3).rgbComponents! == (1, 2, 3))
        #expect(Color.default.rgbComponents == nil)
    }

    @Test func depthFromTheTerminal() {
        #expect(ColorDepth(colors: 256, colorterm: "truecolor") == .truecolor)
        #expect(ColorDepth(colors: 256) == .c256)
        #expect(ColorDepth(colors: 16) == .ansi16)
        #expect(ColorDepth(colors: 8) == .ansi8)
        #expect(ColorDepth(colors: 0) == .mono)
        #expect(ColorDepth(colors: 256, colorterm: "truecolor", noColor: true) == .mono)
    }
}
