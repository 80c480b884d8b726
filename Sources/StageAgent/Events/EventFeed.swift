import StageModel
import Foundation

/// The agent's event history for `GET /api/v1/events`: every event gets the next id, the newest
/// `capacity` are kept so a client that reconnects with `Last-Event-ID` misses nothing, and each
/// subscriber gets new events as they are published.
///
/// A subscriber that falls more than `capacity` behind (or resumes from an id the history no longer
/// holds) is told how many it missed (`gap`), so it can fetch the snapshot again instead of showing a
/// state that silently skipped events.
public final class EventFeed: Sendable {
    public struct Item: Sendable, Equatable {
        public var id: UInt64
        public var type: String
        public var data: String
    }

    public struct Subscription: Sendable {
        public let id: UUID
        /// Events after the requested id that the history still holds, oldest first.
        public let backlog: [Item]
        /// Events after the requested id the history no longer holds (0: none lost).
        public let missed: UInt64
        /// New events; nil is a heartbeat (`heartbeat(_:)`), so one loop both relays and keeps alive.
        public let stream: AsyncStream<Item?>
    }

    private struct State {
        var items: [Item?]
        var head = 0          // index of the oldest item in the ring
        var count = 0
        var lastID: UInt64 = 0
        var subscribers: [UUID: AsyncStream<Item?>.Continuation] = [:]
        var closed = false
    }

    public let capacity: Int
    private let state: Locked<State>

    public init(capacity: Int = 10_000) {
        self.capacity = max(1, capacity)
        state = Locked(State(items: Array(repeating: nil, count: max(1, capacity))))
    }

    /// The id of the newest event published (0 before any).
    public var lastID: UInt64 { state.withLock { $0.lastID } }

    /// Appends an event and hands it to every subscriber; returns its id.
    @discardableResult
    public func publish(type: String, data: String) -> UInt64 {
        state.withLock { s in
            s.lastID += 1
            let item = Item(id: s.lastID, type: type, data: data)
            let slot = (s.head + s.count) % capacity
            s.items[slot] = item
            if s.count < capacity { s.count += 1 } else { s.head = (s.head + 1) % capacity }
            for c in s.subscribers.values { c.yield(item) }
            return item.id
        }
    }

    /// Subscribes to events after `lastID` (nil: only events from now on). The backlog and the live
    /// stream are taken under one lock, so no event falls between them.
    public func subscribe(after lastID: UInt64?) -> Subscription {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: Item?.self, bufferingPolicy: .bufferingNewest(capacity))
        let (backlog, missed) = state.withLock { s -> ([Item], UInt64) in
            if s.closed { continuation.finish() } else { s.subscribers[id] = continuation }
            guard let after = lastID, after < s.lastID else { return ([], 0) }
            let held = (0..<s.count).compactMap { s.items[(s.head + $0) % capacity] }
            let oldest = held.first?.id ?? s.lastID + 1
            let missed = oldest > after + 1 ? oldest - after - 1 : 0
            return (held.filter { $0.id > after }, missed)
        }
        continuation.onTermination = { [weak self] _ in self?.unsubscribe(id) }
        return Subscription(id: id, backlog: backlog, missed: missed, stream: stream)
    }

    public func unsubscribe(_ id: UUID) {
        let c = state.withLock { $0.subscribers.removeValue(forKey: id) }
        c?.finish()
    }

    /// Wakes one subscriber with no event (it writes a heartbeat).
    public func heartbeat(_ id: UUID) {
        let c = state.withLock { $0.subscribers[id] }
        c?.yield(nil)
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every subscriber's stream (the agent is stopping); later subscriptions end at once.
    public func close() {
        let all = state.withLock { s -> [AsyncStream<Item?>.Continuation] in
            s.closed = true
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        for c in all { c.finish() }
    }
}
