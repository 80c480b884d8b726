import Foundation
import StageModel

/// Applies one key to the view state and returns what the app must do. Pure: no I/O, no clock, so every
/// key path is tested headless. Keys are looked up in `keyMap`, the same data the hint bar and help show.
public func reduce(_ state: inout ViewState, key: Key, snapshot: Snapshot, keyMap: KeyMap = .standard) -> [Command] {
    if key == .resize || key == .none { return [] }

    if let draft = state.filterDraft {
        switch keyMap.filterAction(for: key) {
        case .filterApply?:
            state.filter = draft.trimmingCharacters(in: .whitespaces)
            state.filterDraft = nil
        case .filterCancel?:
            state.filterDraft = nil
        case .filterDelete?:
            state.filterDraft = String(draft.dropLast())
        default:
            if case .char(let c) = key, !CharWidth.isControl(c) { state.filterDraft = draft + String(c) }
        }
        state.scroll = 0
        return []
    }

    guard let action = keyMap.action(for: key) else { return [] }

    if state.showHelp {
        switch action {
        case .toggleHelp, .back: state.showHelp = false
        case .quit: return [.quit]
        default: break
        }
        return []
    }

    // The cycle view sits on top of the table or the detail it was opened from; Esc or c returns there.
    if state.showCycles {
        switch action {
        case .moveUp: state.cycleScroll = max(0, state.cycleScroll - 1); return []
        case .moveDown: state.cycleScroll += 1; return []
        case .pageUp: state.cycleScroll = max(0, state.cycleScroll - max(1, state.pageSize)); return []
        case .pageDown: state.cycleScroll += max(1, state.pageSize); return []
        case .top: state.cycleScroll = 0; return []
        // The renderer clamps this to the last page.
        case .bottom: state.cycleScroll = Int.max / 2; return []
        case .back, .toggleCycles: state.showCycles = false; state.cycleScroll = 0; return []
        case .openDetail, .startFilter, .rerunSelected, .cycleSort: return []
        default: break
        }
    }

    if let detail = state.detail {
        switch action {
        case .moveUp: state.detailScroll = max(0, state.detailScroll - 1); return []
        case .moveDown: state.detailScroll += 1; return []
        case .pageUp: state.detailScroll = max(0, state.detailScroll - max(1, state.pageSize)); return []
        case .pageDown: state.detailScroll += max(1, state.pageSize); return []
        case .top: state.detailScroll = 0; return []
        // The renderer clamps this to the last page.
        case .bottom: state.detailScroll = Int.max / 2; return []
        case .back: state.detail = nil; state.detailScroll = 0; return []
        case .rerunSelected: return [.rerun(detail)]
        case .openDetail, .startFilter: return []
        default: break
        }
    }

    let order = ProbeRows.ordered(snapshot, sort: state.sort, filter: state.activeFilter)
    let current = ProbeRows.selectedIndex(order, snapshot: snapshot, selected: state.selected)
    func select(_ i: Int) {
        guard !order.isEmpty else { return }
        state.selected = snapshot.probes[order[min(max(0, i), order.count - 1)]].name
    }

    switch action {
    case .moveUp: select(current - 1)
    case .moveDown: select(current + 1)
    case .pageUp: select(current - max(1, state.pageSize))
    case .pageDown: select(current + max(1, state.pageSize))
    case .top: select(0)
    case .bottom: select(order.count - 1)
    case .openDetail:
        guard !order.isEmpty else { return [] }
        state.selected = snapshot.probes[order[current]].name
        state.detail = state.selected
        state.detailScroll = 0
    case .back:
        if !state.filter.isEmpty { state.filter = ""; state.scroll = 0 }
    case .rerunSelected:
        guard !order.isEmpty else { return [] }
        return [.rerun(snapshot.probes[order[current]].name)]
    case .rerunAll: return [.rerunAll]
    case .togglePause: return [.togglePause]
    case .startFilter: state.filterDraft = state.filter
    case .cycleSort: state.sort = state.sort.next
    case .nextTheme: return [.nextTheme]
    case .nextScenario: return [.nextScenario]
    case .toggleHelp: state.showHelp = true
    case .quit: return [.quit]
    case .toggleCycles: state.showCycles = true; state.cycleScroll = 0
    case .filterApply, .filterCancel, .filterDelete: break
    // Replay keys are handled by `reduceReplay`; a custom map that also binds them here does nothing.
    case .replayPause, .replayStepForward, .replayStepBack, .replayPreviousCycle, .replayNextCycle, .replayFaster, .replaySlower: break
    }
    return []
}
