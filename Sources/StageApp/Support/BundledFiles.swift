import Foundation

/// Files shipped with stagetop (examples, themes): found from the working directory, then where
/// `make install` put them (`PREFIX/share/stagetop`, beside `PREFIX/bin/stagetop`), then in the source
/// tree this binary was built from, so `make demo` works from anywhere in a checkout.
public enum BundledFiles {
    /// The checkout this file was compiled in (Sources/StageApp/Support/ is three levels below it).
    static let sourceRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `PREFIX/share/stagetop` for a binary at `PREFIX/bin/stagetop` (the real path, symlinks resolved).
    static var installedRoot: URL? {
        guard let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return URL(fileURLWithPath: exe).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/stagetop")
    }

    public static func path(_ relative: String) -> String {
        if FileManager.default.fileExists(atPath: relative) { return relative }
        for root in [installedRoot, sourceRoot].compactMap({ $0 }) {
            let candidate = root.appendingPathComponent(relative).path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        return relative
    }
}
