/// The `(fg, bg) → pair` cache. A pair is allocated the first time a combination is drawn and
/// reused forever after: allocating per draw call would exhaust `COLOR_PAIRS` and make ncurses
/// re-send colour sequences for cells that did not change.
///
/// The allocator is injected so the cache is testable without a terminal; `Terminal` passes one
/// that calls `init_extended_pair` (pairs above 255 cannot be written with `COLOR_PAIR()`, so they
/// reach the cell through `setcchar`'s extended pair argument).
struct ColorPairs {
    /// Defines `pair` as `fg` on `bg`; false when ncurses refuses.
    typealias Allocator = (_ pair: Int32, _ fg: Int32, _ bg: Int32) -> Bool

    private struct Key: Hashable { var fg: Int32; var bg: Int32 }

    private var pairs: [Key: Int32] = [:]
    private var next: Int32 = 1
    /// `COLOR_PAIRS`: pair numbers must stay below it.
    let limit: Int32
    private let allocate: Allocator
    /// How many times the allocator was called (tests, diagnostics).
    private(set) var allocations = 0

    init(limit: Int32, allocate: @escaping Allocator) {
        self.limit = limit; self.allocate = allocate
    }

    var count: Int { pairs.count }

    /// The pair for `fg` on `bg`. Pair 0 is the terminal's default colours and needs no allocation.
    /// When pairs run out (or ncurses refuses one) the combination falls back to pair 0 and is
    /// remembered that way, so a full table does not cost an allocator call per cell.
    mutating func pair(fg: Int32, bg: Int32) -> Int32 {
        if fg == -1 && bg == -1 { return 0 }
        let key = Key(fg: fg, bg: bg)
        if let p = pairs[key] { return p }
        var p: Int32 = 0
        if next < limit {
            allocations += 1
            if allocate(next, fg, bg) { p = next; next += 1 }
        }
        pairs[key] = p
        return p
    }
}
