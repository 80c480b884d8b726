import StageModel

/// stagetop's exit statuses (docs/config.md, "Exit statuses"), and the one rule that turns a session's
/// outcome into one: every counted probe passed, or not. Hangs and errors count (never skipped).
public enum ExitStatus {
    public static let allPassed: Int32 = 0
    public static let probeFailed: Int32 = 1
    public static let usage: Int32 = 2
    public static let internalError: Int32 = 3

    /// 0 when every counted probe passed, else 1 (`check`, `watch` and `demo` alike).
    public static func of(_ snapshot: Snapshot) -> Int32 {
        let s = snapshot.summary
        return s.passed == s.counted ? allPassed : probeFailed
    }

    /// The shell convention for "ended by a signal".
    public static func signal(_ number: Int32) -> Int32 { 128 + number }

    /// How a dashboard ended: 128+N after signal N; after `q` (or a hangup), `quit` (the verdicts shown,
    /// or 0 for a replay); 3 with the error printed if the loop itself failed.
    static func of(dashboard outcome: Result<Int32?, any Error>, quit: @autoclosure () -> Int32) -> Int32 {
        switch outcome {
        case .success(let signal?): return self.signal(signal)
        case .success(nil): return quit()
        case .failure(let error):
            Console.error("\(error)")
            return internalError
        }
    }
}
