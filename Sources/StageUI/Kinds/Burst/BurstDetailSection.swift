import Foundation
import StageModel

/// A burst's detail: the statuses its requests got, counted (`38×200 12×429   50 requests`). A burst
/// keeps no single response, so it has no exchange section.
struct BurstDetailSection {
    let screen: DetailScreen

    func detail() -> KindDetail {
        guard let last = screen.probe.last, !last.statuses.isEmpty else { return KindDetail() }
        // count×status, as the row and `check` print it: 38×200 12×429.
        let line = Line([screen.label("statuses"), screen.text(Format.statusCounts(last.statuses)),
                         screen.dim("   \(last.statuses.values.reduce(0, +)) requests")])
        return KindDetail(lead: [.line(line)])
    }
}
