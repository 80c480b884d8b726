import CNCursesw
import StageUI

extension Terminal {
    /// Shows `frame`. Only the runs that differ from the frame on screen are written (`Buffer.diff`),
    /// then one `doupdate()`. The first frame, the first after a resize or Ctrl-L, and a frame of a
    /// different size clear the screen and write everything. Cells outside the screen are clipped.
    public func draw(_ frame: Buffer) {
        guard isRunning, let win = stn_stdscr() else { return }
        var frame = frame
        if !unicode { frame.transliterateToASCII() }

        var stats = FrameStats()
        let runs: [Run]
        if needsFullRepaint || previous?.width != frame.width || previous?.height != frame.height {
            // wclear = erase + clearok: the next update clears the physical screen, so whatever a
            // resize (or another program) left there is gone.
            wclear(win)
            runs = frame.diff(from: Buffer(width: 0, height: 0))
            stats.fullRepaint = true
        } else if let previous {
            runs = frame.diff(from: previous)
        } else {
            runs = []
        }

        let cols = Int(stn_cols()), rows = Int(stn_lines())
        for run in runs where run.y < rows {
            stats.runs += 1
            for (i, cell) in run.cells.enumerated() {
                stats.cells += 1
                stats.bytes += cell.grapheme.utf8.count
                let x = run.x + i
                // Continuation cells belong to the wide grapheme on their left: ncurses fills them.
                if cell.isContinuation || x >= cols { continue }
                if cell.width == 2 && x + 1 >= cols {
                    put(Cell(" ", style: cell.style), x: x, y: run.y, in: win)
                } else {
                    put(cell, x: x, y: run.y, in: win, cols: cols)
                }
            }
        }
        if stats.fullRepaint || !runs.isEmpty {
            wnoutrefresh(win)
            doupdate()
        }
        previous = frame
        needsFullRepaint = false
        lastFrameStats = stats
    }

    /// Writes one cell with `setcchar` + `mvwadd_wch`. The colour pair goes through `setcchar`'s
    /// extended argument, which (unlike `COLOR_PAIR()` in the attributes) reaches pairs above 255.
    func put(_ cell: Cell, x: Int, y: Int, in win: UnsafeMutablePointer<WINDOW>, cols: Int = 0) {
        let look = styles.look(cell.style)
        var attrs = stn_a_normal()
        if look.attrs.contains(.bold) { attrs |= stn_a_bold() }
        if look.attrs.contains(.dim) { attrs |= stn_a_dim() }
        if look.attrs.contains(.reverse) { attrs |= stn_a_reverse() }
        if look.attrs.contains(.underline) { attrs |= stn_a_underline() }
        if look.attrs.contains(.italic) { attrs |= stn_a_italic() }

        var pair = look.pair
        var cc = cchar_t()
        // setcchar takes one spacing character plus combining ones. A cluster of several spacing
        // characters (flags, ZWJ emoji) is refused: fall back to its first character, then to "?".
        var n = 0
        for scalar in cell.grapheme.unicodeScalars.prefix(wideChars.count - 1) {
            wideChars[n] = wchar_t(bitPattern: scalar.value)
            n += 1
        }
        if n == 0 { wideChars[0] = 0x20; n = 1 }
        wideChars[n] = 0
        var rc = setcchar(&cc, wideChars, attrs, Int16(clamping: pair), &pair)
        if rc == ERR && n > 1 {
            wideChars[1] = 0
            rc = setcchar(&cc, wideChars, attrs, Int16(clamping: pair), &pair)
        }
        if rc == ERR {
            wideChars[0] = 0x3F; wideChars[1] = 0
            _ = setcchar(&cc, wideChars, attrs, Int16(clamping: pair), &pair)
        }
        // ERR at the bottom-right cell only means the cursor could not advance; the cell is written.
        _ = mvwadd_wch(win, Int32(y), Int32(x), &cc)

        // If ncurses (glibc wcwidth) thinks a grapheme is narrow that the buffer laid out as wide,
        // fill the second cell so ncurses' picture of the screen stays aligned with the buffer's.
        if cell.width == 2, x + 1 < cols, getcurx(win) == Int32(x + 1) {
            wideChars[0] = 0x20; wideChars[1] = 0
            _ = setcchar(&cc, wideChars, attrs, Int16(clamping: pair), &pair)
            _ = wadd_wch(win, &cc)
        }
    }
}
