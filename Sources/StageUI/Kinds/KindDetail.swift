import Foundation
import StageModel

/// What one kind of probe adds to the detail view, in the three places the view has for it.
struct KindDetail {
    /// Lines right under the message: a WebSocket's close, a burst's statuses.
    var lead: [DetailScreen.Item] = []
    /// The kind's own sections, before the conditions: WebSocket handshake and timeline, stream timing.
    var sections: [DetailScreen.Item] = []
    /// The HTTP exchange (response, timing phases), after the conditions, for the kinds whose request is HTTP.
    var exchange: [DetailScreen.Item] = []
}

extension DetailScreen {
    /// The one place the detail view tells probe kinds apart. No `default:`, so a new `ProbeKind` case
    /// does not compile until it says what its detail view shows.
    func kindDetail(width: Int, view: ViewState) -> KindDetail {
        switch probe.kind {
        case .http: HTTPDetailSection(screen: self).detail(width: width, view: view)
        case .websocket: WebSocketDetailSection(screen: self).detail(width: width, view: view)
        case .stream: StreamDetailSection(screen: self).detail(width: width, view: view)
        case .burst: BurstDetailSection(screen: self).detail()
        case .journey: JourneyDetailSection(screen: self).detail(width: width)
        }
    }

    /// A label inside a section, indented under the section title.
    func sub(_ s: String) -> Span { Span("  " + s + " ", r.style(.detailLabel)) }

    /// The run's events with the gap before each: WebSocket messages and stream events alike.
    func timelineItems(width: Int) -> [Item] {
        guard let last = probe.last, !last.events.isEmpty else { return [] }
        return [.line(Line()), .line(Line([Span("Timeline", r.style(.detailLabel)), dim("  ms from connect, (gap to the event before)")]))]
            + Timeline(events: last.events).lines(renderer: r, width: width).map(Item.line)
    }
}
