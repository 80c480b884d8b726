/// `--only` / `--skip`: the probes of a config one run watches, so two people fixing one failure can watch
/// just it. Patterns are globs (`*`, `?`) matched against a probe's name, its group and its kind. A failure
/// class is not known before a probe runs, so it cannot select what runs (the dashboard's `/` filter can).
public struct ProbeSelection: Sendable, Equatable {
    public var only: [String]
    public var skip: [String]

    public init(only: [String] = [], skip: [String] = []) { self.only = only; self.skip = skip }

    public var isEverything: Bool { only.isEmpty && skip.isEmpty }

    public func includes(_ spec: ProbeSpec) -> Bool {
        let words = [spec.name, spec.group, spec.kind.rawValue].filter { !$0.isEmpty }
        // The glob of `pat()` in conditions: one matcher, one meaning of `*` and `?`.
        func matches(_ pattern: String) -> Bool { words.contains { Conditions.globMatch(pattern, $0) } }
        if !only.isEmpty, !only.contains(where: matches) { return false }
        return !skip.contains(where: matches)
    }

    /// The config with only the selected probes, and the subset recorded so every output can say so.
    /// Nil when nothing is left.
    public func apply(to config: StageConfig) -> StageConfig? {
        guard !isEverything else { return config }
        var c = config
        c.probes = config.probes.filter(includes)
        guard !c.probes.isEmpty else { return nil }
        c.subset = ProbeSubset(selected: c.probes.count, total: config.probes.count, only: only, skip: skip)
        return c
    }
}

/// A run that watches part of its config: "subset: 3 of 25 probes (--only chat_*)". Its pass rate is the
/// subset's, and every output says so.
public struct ProbeSubset: Sendable, Equatable, Codable {
    public var selected: Int
    public var total: Int
    public var only: [String]
    public var skip: [String]

    public init(selected: Int, total: Int, only: [String] = [], skip: [String] = []) {
        self.selected = selected; self.total = total; self.only = only; self.skip = skip
    }

    /// "subset: 3 of 25 probes (--only chat_* --skip chat_ws)".
    public var description: String {
        let flags = only.map { "--only \($0)" } + skip.map { "--skip \($0)" }
        return "subset: \(selected) of \(total) probes" + (flags.isEmpty ? "" : " (\(flags.joined(separator: " ")))")
    }
}
