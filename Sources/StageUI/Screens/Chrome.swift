import StageModel

/// The parts every screen shares: the header lines (and the login banner) and the key-hint bar.
struct Chrome {
    let r: Renderer
    let snapshot: Snapshot

    /// The login banner text, when the login failed, else the run's notice (a failed config reload): a
    /// third header line.
    var banner: String? { LoginBanner.text(snapshot.login, mask: r.glyphs.mask) ?? snapshot.notice }

    /// Rows the header takes: two, plus the login banner when there is one.
    var headerHeight: Int { banner == nil ? 2 : 3 }

    /// Line 1: who and when (config, host, cycle with its change and flips, uptime, badges, token, clock).
    /// Line 2: the figures (pass rate with hangs and errors in the denominator, counts, average latency).
    /// Line 3 (only when the login failed): the banner.
    func renderHeader(into buffer: inout Buffer, area: Rect, view: ViewState) {
        let rows = area.split(.vertical, [.fixed(1), .fixed(1), .fixed(1)])
        let s = snapshot
        let dim = r.style(.textDim)
        var first: [HeaderBar.Piece] = [
            .init(Line(s.configName, r.style(.headerTitle)), priority: 100),
            .init(CycleFormat.headerLine(s, renderer: r), priority: 90),
            .init(Line(s.targetHost, r.style(.text)), priority: 60),
            .init(Line("up " + Format.uptime(s.takenAt.timeIntervalSince(s.startedAt)), dim), priority: 40),
        ]
        // A recording must never pass for live staging: the badge outlives everything but the name.
        if let replay = view.replay { first.append(.init(Line(" " + replay.badge + " ", r.style(.headerBadgeReplay)), priority: 99)) }
        if s.insecure { first.append(.init(Line(" INSECURE TLS ", r.style(.headerBadgeWarn)), priority: 98)) }
        if s.paused { first.append(.init(Line(" PAUSED ", r.style(.headerBadgeInfo)), priority: 97)) }
        if let cert = CertificateBadge.text(s) { first.append(.init(Line(cert, r.style(.headerBadgeWarn)), priority: 96)) }
        if let token = LoginBanner.headerPiece(s.login, now: s.takenAt, renderer: r) { first.append(token) }
        first.append(.init(Line(TextFormat.clock(s.takenAt, zone: view.timeZone) + " " + TextFormat.zoneLabel(view.timeZone, at: s.takenAt), r.style(.text)),
                           priority: 70, alignRight: true))
        let row0 = rows[0].inset(left: 1, right: 1)
        // What fits after the pieces above goes to the flips of the last cycle (as many names as fit),
        // then to the progress of the cycle in progress: extras, never at the cost of a figure.
        func room() -> Int {
            let bar = HeaderBar(pieces: first)
            let kept = bar.kept(width: row0.width)
            return row0.width - kept.map { first[$0].line.width }.reduce(0, +) - kept.count * 2
        }
        if let flips = s.cycles.last.flatMap({ CycleFormat.flipsLine($0.flips, renderer: r, maxWidth: room()) }) {
            first.insert(.init(flips, priority: 1), at: 2)
        }
        if let progress = CycleFormat.progressLine(s, renderer: r), progress.width <= room() {
            first.insert(.init(progress, priority: 1), at: first.count - 1)
        }
        HeaderBar(pieces: first, style: r.style(.text)).render(into: &buffer, area: row0)

        let sum = s.summary
        let anyProblem = sum.failed + sum.hung + sum.errored > 0
        let rateRole: Role = anyProblem ? .statusFail : (sum.pending > 0 ? .statusPending : .statusPass)
        var second: [HeaderBar.Piece] = [
            .init(Line(TextFormat.passRate(passed: sum.passed, counted: sum.counted), r.style(rateRole).adding(.bold)), priority: 100),
        ]
        let counts: [(Int, DisplayStatus)] = [(sum.passed, .pass), (sum.failed, .fail), (sum.hung, .hang),
                                              (sum.errored, .error), (sum.skipped, .skip), (sum.pending, .pending)]
        for (n, status) in counts {
            // Problems never drop before anything else; zero counts drop first on narrow terminals.
            let priority = n == 0 ? 20 : (status.isProblem ? 96 : 80)
            second.append(.init(Line("\(n) \(status.word)", n == 0 ? dim : r.style(status.role)), priority: priority))
        }
        second.append(.init(Line(TextFormat.averageLatency(sum.latencyAvgMs), r.style(.text)), priority: 85))
        if let subset = s.subset {
            // Next to the pass rate and as hard to drop: "3/3 (100%)" of a subset is not the staging's health.
            second.insert(.init(Line("subset \(subset.selected)/\(subset.total)", r.style(.statusPending).adding(.bold)), priority: 99), at: 1)
        }
        HeaderBar(pieces: second, style: r.style(.text)).render(into: &buffer, area: rows[1].inset(left: 1, right: 1))

        if let banner, area.height >= 3 {
            let row = rows[2]
            buffer.fill(row, style: r.style(.bannerFail))
            // The margin goes before the text is cut: the whole sentence fits 80 columns that way.
            let clip = TextWidth.of(banner) + 2 <= row.width ? row.inset(left: 1, right: 1) : row
            buffer.set(x: clip.x, y: row.y, line: Line(banner, r.style(.bannerFail)), clip: clip, ellipsis: r.glyphs.ellipsis)
        }
    }

    /// The hint bar for `actions`, labels and words from the key map; `words` overrides a hint word.
    /// In replay the replay keys come first (`Space pause  ←/→ step  [/] cycle  +/- speed`).
    func renderHints(into buffer: inout Buffer, area: Rect, actions: [Action], words: [Action: String] = [:], prefix: Line = Line(),
                     replay: ReplayStatus? = nil) {
        var hints: [HintBar.Hint] = []
        if let replay { hints += replayHints(replay) }
        hints += actions.compactMap { a -> HintBar.Hint? in
            let bs = r.keyMap.bindings(for: a)
            guard !bs.isEmpty else { return nil }
            return HintBar.Hint(keys: r.keyMap.label(for: a, ascii: r.glyphs.asciiOnly), text: words[a] ?? bs.first { $0.hint != nil }?.hint ?? a.rawValue)
        }
        HintBar(prefix: prefix, hints: hints, keyStyle: r.style(.hintKey), textStyle: r.style(.hintText))
            .render(into: &buffer, area: area)
    }

    /// Replay hints from `keyMap.replay`; the two directions of a pair share one hint (`[/] cycle`).
    func replayHints(_ replay: ReplayStatus) -> [HintBar.Hint] {
        let pairs: [(Action, Action?)] = [(.replayPause, nil), (.replayStepBack, .replayStepForward),
                                          (.replayPreviousCycle, .replayNextCycle), (.replayFaster, .replaySlower)]
        return pairs.compactMap { a, b in
            let bindings = ([a] + (b.map { [$0] } ?? [])).flatMap { act in r.keyMap.replay.filter { $0.action == act } }
            guard let word = bindings.first(where: { $0.hint != nil })?.hint ?? bindings.first?.action.rawValue else { return nil }
            let keys = bindings.map { KeyMap.display($0.label, ascii: r.glyphs.asciiOnly) }.joined(separator: "/")
            return HintBar.Hint(keys: keys, text: a == .replayPause && replay.paused ? "play" : word)
        }
    }
}
