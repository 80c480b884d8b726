import Foundation

/// Messages for the person at the terminal, on stderr, before or after (never during) the dashboard.
public enum Console {
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data(("stagetop: " + text + "\n").utf8))
    }
}
