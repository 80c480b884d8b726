import Foundation
import StageModel
import StageReports

/// `stagetop check`: every probe once (or `cycles` times), a table on stdout, reports to files.
public struct CheckSettings: Sendable {
    public var target: TargetSettings
    public var json: String?
    public var junit: String?
    public var markdown: String?
    public var prometheus: String?
    public var record: String?
    public var cycles: Int
    /// Pause between cycles, seconds.
    public var interval: TimeInterval

    public init(target: TargetSettings, json: String? = nil, junit: String? = nil, markdown: String? = nil, prometheus: String? = nil,
                record: String? = nil, cycles: Int = 1, interval: TimeInterval = 0) {
        self.target = target; self.json = json; self.junit = junit; self.markdown = markdown; self.prometheus = prometheus
        self.record = record; self.cycles = cycles; self.interval = interval
    }
}

extension App {
    /// Runs `check` and returns its exit status.
    public static func check(_ settings: CheckSettings) async -> Int32 {
        let prepared: (config: StageConfig, sim: SimulatedTarget?)
        switch await settings.target.prepareOrExit() {
        case .success(let p): prepared = p
        case .failure(let exit): return exit.status
        }
        let config = prepared.config
        // Before the run, so a 404 in the table below is read knowing the route was never deployed.
        for note in config.routeDriftNotes { Console.error("note: \(note)") }
        let recorder: RecordingWriter?
        do { recorder = try ProbeSession.openRecording(settings.record, config: config) } catch {
            Console.error("\(error)")
            await prepared.sim?.stop()
            return ExitStatus.usage
        }
        defer { recorder?.close() }
        let many = settings.cycles > 1
        let outcome = await ProbeSession(config: config, recordTo: recorder).runCycles(settings.cycles, interval: settings.interval) { snapshot in
            // One line per cycle as it closes, so a long run shows progress in a CI log.
            if many, let c = snapshot.cycles.last { print(TextTable.cycleLine(c)) }
        }
        await prepared.sim?.stop()

        if many { print("") }
        print(TextTable.render(outcome.snapshot), terminator: "")
        do {
            let (s, start, end) = (outcome.snapshot, outcome.startedAt, outcome.finishedAt)
            if let p = settings.json { try write(JSONReport.render(s, startedAt: start, finishedAt: end), to: p) }
            if let p = settings.junit { try write(JUnitReport.render(s, startedAt: start, finishedAt: end), to: p) }
            if let p = settings.markdown { try write(MarkdownReport.render(s, startedAt: start, finishedAt: end), to: p) }
            // Written whole and renamed into place (.atomic): a collector never reads half a file.
            if let p = settings.prometheus { try write(PrometheusReport.render(s, finishedAt: end), to: p) }
        } catch {
            Console.error("cannot write report: \(error.localizedDescription)")
            return ExitStatus.internalError
        }
        return ExitStatus.of(outcome.snapshot)
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// The entry points the executable calls, one per command.
public enum App {
    /// `stagetop --version`, `stagetop_agent_info{version}`.
    public static let version = "0.2.0"
}
