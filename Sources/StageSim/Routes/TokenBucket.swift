/// The rate limiter in front of `/api/health`: a token bucket, so a burst (the reports' rate-limit
/// test: 50 requests within 2 s) meets 429s once its budget is spent, while a probe every few seconds
/// never does. Time is passed in, so the arithmetic is tested without a clock.
struct TokenBucket: Sendable, Equatable {
    static let defaultCapacity = 20
    static let defaultRefillPerSecond: Double = 5
    /// The routes it guards (matched on the route, so `/api/health/` shares the budget).
    static let guardedRoutes: Set<String> = ["/api/health"]

    let capacity: Int
    let refillPerSecond: Double
    private(set) var tokens: Double
    private var last: ContinuousClock.Instant

    init(
        capacity: Int = defaultCapacity,
        refillPerSecond: Double = defaultRefillPerSecond,
        now: ContinuousClock.Instant = .now
    ) {
        self.capacity = capacity
        self.refillPerSecond = refillPerSecond
        self.tokens = Double(capacity)
        self.last = now
    }

    enum Decision: Equatable {
        case allowed(remaining: Int)
        /// Whole seconds until a token is back (at least 1), for `Retry-After`.
        case limited(retryAfterSeconds: Int)
    }

    mutating func take(now: ContinuousClock.Instant = .now) -> Decision {
        let elapsed = last.duration(to: now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if seconds > 0 {
            tokens = min(Double(capacity), tokens + seconds * refillPerSecond)
            last = now
        }
        if tokens >= 1 {
            tokens -= 1
            return .allowed(remaining: Int(tokens))
        }
        guard refillPerSecond > 0 else { return .limited(retryAfterSeconds: 60) }
        let wait = (1 - tokens) / refillPerSecond
        return .limited(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
    }
}
