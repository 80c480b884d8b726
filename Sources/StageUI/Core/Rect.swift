/// A rectangle of cells. Sizes are never negative: operations that would shrink below zero clamp to empty,
/// so widgets can be handed any area (even 0x0) without crashing.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var isEmpty: Bool { width == 0 || height == 0 }
    public var right: Int { x + width }
    public var bottom: Int { y + height }
    public var area: Int { width * height }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(right, other.right), y1 = min(bottom, other.bottom)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < right && py >= y && py < bottom }

    /// Shrinks by the given margins (clamped at empty).
    public func inset(top: Int = 0, left: Int = 0, bottom b: Int = 0, right r: Int = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: width - left - r, height: height - top - b)
    }

    public func inset(by n: Int) -> Rect { inset(top: n, left: n, bottom: n, right: n) }

    /// The single row `dy` rows down from the top (empty if outside).
    public func row(_ dy: Int) -> Rect {
        dy >= 0 && dy < height ? Rect(x: x, y: y + dy, width: width, height: 1) : Rect(x: x, y: y + dy, width: 0, height: 0)
    }

    /// A `w`x`h` rectangle centred in this one (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width), ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }
}
