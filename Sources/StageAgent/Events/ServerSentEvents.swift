/// Server-sent-event framing (the WHATWG `text/event-stream` format): an id so a client can resume with
/// `Last-Event-ID`, the event's type as `event:`, and one `data:` line per line of the payload.
enum ServerSentEvents {
    static func frame(_ item: EventFeed.Item) -> String {
        var out = "id: \(item.id)\nevent: \(item.type)\n"
        for line in item.data.split(separator: "\n", omittingEmptySubsequences: false) { out += "data: \(line)\n" }
        return out + "\n"
    }

    /// Events a subscriber missed (it fell behind, or resumed from an id no longer held): the client
    /// should fetch the snapshot again.
    static func gap(missed: UInt64, resumeAt id: UInt64) -> String {
        "id: \(id)\nevent: gap\ndata: {\"missed\":\(missed)}\n\n"
    }

    /// A comment line: keeps proxies from closing an idle stream and finds clients that have gone.
    static let heartbeat = ": keep-alive\n\n"

    /// `retry:` tells a browser's EventSource how long to wait before reconnecting.
    static let preamble = "retry: 2000\n\n"
}
