/// A horizontal run of changed cells the backend must write, starting at (x, y).
/// A run never starts on a continuation cell and never ends between the halves of a wide grapheme.
public struct Run: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) { self.x = x; self.y = y; self.cells = cells }

    public var text: String { cells.filter { !$0.isContinuation }.map(\.grapheme).joined() }
    public var byteCount: Int { cells.reduce(0) { $0 + $1.grapheme.utf8.count } }
}

extension Buffer {
    /// The runs of cells that differ from `old`. When the sizes differ (a resize) every row is one run:
    /// the backend repaints everything.
    public func diff(from old: Buffer) -> [Run] {
        guard old.width == width, old.height == height else {
            return (0..<height).compactMap { y in
                width == 0 ? nil : Run(x: 0, y: y, cells: Array(cells[(y * width)..<((y + 1) * width)]))
            }
        }
        var runs: [Run] = []
        for y in 0..<height {
            let base = y * width
            var x = 0
            while x < width {
                if cells[base + x] == old.cells[base + x] { x += 1; continue }
                var start = x
                while start > 0 && cells[base + start].isContinuation { start -= 1 }
                var end = x + 1
                while end < width && cells[base + end] != old.cells[base + end] { end += 1 }
                if end < width && cells[base + end].isContinuation { end += 1 }
                // A run that began by backing up onto an earlier run's leader merges with it.
                if let last = runs.last, last.y == y, last.x + last.cells.count >= start {
                    start = last.x
                    runs.removeLast()
                }
                runs.append(Run(x: start, y: y, cells: Array(cells[(base + start)..<(base + end)])))
                x = end
            }
        }
        return runs
    }
}

extension Array where Element == Run {
    /// UTF-8 bytes of all graphemes in the runs (escape sequences and cursor moves not counted).
    public var byteCount: Int { reduce(0) { $0 + $1.byteCount } }
    public var cellCount: Int { reduce(0) { $0 + $1.cells.count } }
}
