import Foundation

/// Files shipped in the repository (examples, themes): found from the working directory, else from the
/// source tree this binary was built from, so `make demo` works from anywhere in a checkout.
public enum BundledFiles {
    /// The checkout this file was compiled in (Sources/StageApp/Support/ is three levels below it).
    static let sourceRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static func path(_ relative: String) -> String {
        if FileManager.default.fileExists(atPath: relative) { return relative }
        let candidate = sourceRoot.appendingPathComponent(relative).path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : relative
    }
}
