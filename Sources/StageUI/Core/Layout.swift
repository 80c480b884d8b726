/// How much of a split one part takes.
public enum Constraint: Sendable, Hashable {
    /// Exactly n cells (less if the area runs out).
    case fixed(Int)
    /// n percent of the whole area, rounded down.
    case percent(Int)
    /// A share of whatever fixed and percent parts left over, by weight.
    case fill(Int)
}

public enum Direction: Sendable, Hashable {
    /// Parts stacked top to bottom.
    case vertical
    /// Parts side by side, left to right.
    case horizontal
}

extension Rect {
    /// Splits the rectangle into consecutive parts. Fixed and percent parts are served first in order
    /// (later ones shrink when space runs out), fill parts share the rest by weight; the last fill part
    /// takes the rounding remainder so the parts always tile the whole area.
    public func split(_ direction: Direction, _ constraints: [Constraint]) -> [Rect] {
        let total = direction == .vertical ? height : width
        var sizes = Array(repeating: 0, count: constraints.count)
        var remaining = total
        for (i, c) in constraints.enumerated() {
            switch c {
            case .fixed(let n): sizes[i] = min(max(0, n), remaining)
            case .percent(let p): sizes[i] = min(max(0, total * min(max(p, 0), 100) / 100), remaining)
            case .fill: continue
            }
            remaining -= sizes[i]
        }
        let fills = constraints.enumerated().compactMap { i, c -> (Int, Int)? in
            if case .fill(let w) = c { return (i, max(0, w)) } else { return nil }
        }
        let weight = fills.reduce(0) { $0 + $1.1 }
        if !fills.isEmpty {
            var left = remaining
            for (k, (i, w)) in fills.enumerated() {
                let share = k == fills.count - 1 ? left : (weight == 0 ? 0 : remaining * w / weight)
                sizes[i] = share
                left -= share
            }
        }
        var offset = direction == .vertical ? y : x
        return sizes.map { s in
            defer { offset += s }
            return direction == .vertical
                ? Rect(x: x, y: offset, width: width, height: s)
                : Rect(x: offset, y: y, width: s, height: height)
        }
    }
}
