import CNCursesw
import StageUI
import Testing
@testable import StageTerminal

@Suite struct KeyDecoderTests {
    @Test(arguments: [
        (KEY_UP, Key.up), (KEY_DOWN, .down), (KEY_LEFT, .left), (KEY_RIGHT, .right), (KEY_PPAGE, .pageUp), (KEY_NPAGE, .pageDown),
        (KEY_HOME, .home), (KEY_END, .end), (KEY_A1, .home), (KEY_C1, .end), (KEY_A3, .pageUp), (KEY_C3, .pageDown),
        (KEY_FIND, .home), (KEY_SELECT, .end), (KEY_ENTER, .enter), (KEY_BACKSPACE, .backspace), (KEY_RESIZE, .resize),
    ])
    func functionKeys(code: Int32, key: Key) {
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, code: UInt32(code)) == key)
    }

    @Test func unknownFunctionKeysAreIgnored() {
        for code in [KEY_F0 + 1, KEY_MOUSE, KEY_IC, KEY_DC] {
            #expect(KeyDecoder.decode(status: KEY_CODE_YES, code: UInt32(code)) == .none)
        }
    }

    @Test(arguments: [
        (UInt32(10), Key.enter), (13, .enter), (27, .escape), (127, .backspace), (8, .backspace), (12, .resize),
    ])
    func controlCharacters(code: UInt32, key: Key) {
        #expect(KeyDecoder.decode(status: OK, code: code) == key)
    }

    @Test func otherControlCharactersAreNeverText() {
        for code: UInt32 in [0, 1, 3, 9, 26, 31, 0x80, 0x9B, 0x9F] {
            #expect(KeyDecoder.decode(status: OK, code: code) == .none, "code \(code)")
        }
    }

    @Test func printableCharactersIncludingNonASCII() {
        #expect(KeyDecoder.decode(status: OK, code: 0x71) == .char("q"))
        #expect(KeyDecoder.decode(status: OK, code: 0x20) == .char(" "))
        #expect(KeyDecoder.decode(status: OK, code: 0x2F) == .char("/"))
        #expect(KeyDecoder.decode(status: OK, code: 0xE9) == .char("é"))
        #expect(KeyDecoder.decode(status: OK, code: 0x6F22) == .char("漢"))
    }

    @Test func timeoutAndInvalidScalars() {
        #expect(KeyDecoder.decode(status: ERR, code: 0) == .none)
        #expect(KeyDecoder.decode(status: OK, code: 0xD800) == .none)  // a lone surrogate is no character
        #expect(KeyDecoder.decode(status: OK, code: 0x110000) == .none)
    }
}
