import Foundation
import StageUI

/// `watch`/`demo`/`replay` display options as given on the command line.
public struct DisplaySettings: Sendable {
    public var theme: String?
    public var log: String?
    public var utc: Bool
    /// `watch --bell`: ring the terminal bell when a probe flips to failing.
    public var bell: Bool

    public init(theme: String? = nil, log: String? = nil, utc: Bool = false, bell: Bool = false) {
        self.theme = theme; self.log = log; self.utc = utc; self.bell = bell
    }
}

/// The resolved display: the theme loaded (NO_COLOR → mono), the time zone, the `--log` file open.
public struct Display {
    public var theme: Theme
    public var themeName: String
    public var themeDirs: [String]
    public var noColor: Bool
    public var timeZone: TimeZone
    public var logFile: EventLogFile?
    public var bell = false

    public init(theme: Theme, themeName: String, themeDirs: [String], noColor: Bool, timeZone: TimeZone, logFile: EventLogFile? = nil) {
        self.theme = theme; self.themeName = themeName; self.themeDirs = themeDirs; self.noColor = noColor
        self.timeZone = timeZone; self.logFile = logFile
    }

    /// Resolves the settings; a bad theme or an unwritable log file is the user's error (exit 2).
    public static func resolve(_ settings: DisplaySettings, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Display {
        let themeDirs = [BundledFiles.path("themes")]
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let themeName = noColor ? "mono" : (settings.theme ?? "default")
        let theme = try ThemeLoader.load(nameOrPath: themeName, searchDirs: themeDirs)
        let log = try settings.log.map { try EventLogFile(path: $0) }
        var display = Display(theme: theme, themeName: themeName, themeDirs: themeDirs, noColor: noColor,
                              timeZone: settings.utc ? TimeZone(identifier: "UTC")! : .current, logFile: log)
        display.bell = settings.bell
        return display
    }
}
