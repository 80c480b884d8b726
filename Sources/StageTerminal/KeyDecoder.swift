import CNCursesw
import StageUI

/// Turns what `wget_wch` returned into a `Key`. Pure (status and code in, key out) so the table is
/// tested without a terminal.
enum KeyDecoder {
    /// `wget_wch` results: a character, a function key (`KEY_CODE_YES`), or nothing (`ERR`).
    static let ok: Int32 = OK
    static let functionKey: Int32 = KEY_CODE_YES
    static let error: Int32 = ERR

    /// Function keys we understand. Keypad corners (A1/C1/A3/C3) and rxvt's Find/Select are the
    /// Home/End/PgUp/PgDn of some terminals.
    static let functionKeys: [Int32: Key] = [
        KEY_UP: .up, KEY_DOWN: .down, KEY_LEFT: .left, KEY_RIGHT: .right,
        KEY_PPAGE: .pageUp, KEY_NPAGE: .pageDown, KEY_A3: .pageUp, KEY_C3: .pageDown,
        KEY_HOME: .home, KEY_END: .end, KEY_A1: .home, KEY_C1: .end, KEY_FIND: .home, KEY_SELECT: .end,
        KEY_ENTER: .enter, KEY_BACKSPACE: .backspace,
        KEY_RESIZE: .resize,
    ]

    /// Control characters that mean something. `nonl()` makes Enter arrive as CR (13); LF (10) is
    /// kept for terminals that send it. Ctrl-L asks for a full repaint, as in htop and less.
    static let controlKeys: [UInt32: Key] = [
        10: .enter, 13: .enter, 27: .escape, 127: .backspace, 8: .backspace, 12: .resize,
    ]

    static func decode(status: Int32, code: UInt32) -> Key {
        switch status {
        case functionKey:
            return functionKeys[Int32(bitPattern: code)] ?? .none
        case ok:
            if let k = controlKeys[code] { return k }
            // Other control characters (and C1 controls) are never text.
            if code < 0x20 || (0x80..<0xA0).contains(code) { return .none }
            guard let scalar = Unicode.Scalar(code) else { return .none }
            return .char(Character(scalar))
        default:
            return .none
        }
    }
}
