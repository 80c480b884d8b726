import Foundation

/// Finds and reads theme files. The only file I/O in StageUI.
public enum ThemeLoader {
    public static let fileExtension = "theme"

    /// Loads a theme by name (looked up as `NAME.theme` in `searchDirs`, in order) or by path (anything
    /// containing `/` or ending in `.theme`). `default` always resolves, to the built-in theme when no
    /// file overrides it. Errors name the file and line, or list the directories searched.
    public static func load(nameOrPath: String, searchDirs: [String]) throws -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".\(fileExtension)") {
            return try loadFile(nameOrPath)
        }
        for dir in searchDirs {
            let path = (dir as NSString).appendingPathComponent("\(nameOrPath).\(fileExtension)")
            if FileManager.default.fileExists(atPath: path) { return try loadFile(path) }
        }
        if nameOrPath == Theme.builtinDefault.name { return Theme.builtinDefault }
        let known = available(searchDirs: searchDirs)
        throw ThemeError(file: nameOrPath, line: nil,
                         message: "no such theme (searched \(searchDirs.isEmpty ? "no directories" : searchDirs.joined(separator: ", "));"
                            + " available: \(known.joined(separator: ", ")))")
    }

    public static func loadFile(_ path: String) throws -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ThemeError(file: path, line: nil, message: "cannot read theme file (\(error.localizedDescription))")
        }
        return try ThemeParser.parse(text, file: path)
    }

    /// Theme names found in `searchDirs` plus the built-in `default`, sorted with `default` first;
    /// what the `t` key cycles through.
    public static func available(searchDirs: [String]) -> [String] {
        var names: Set<String> = [Theme.builtinDefault.name]
        for dir in searchDirs {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            for f in files where f.hasSuffix(".\(fileExtension)") { names.insert(String(f.dropLast(fileExtension.count + 1))) }
        }
        return names.sorted { a, b in a == "default" ? b != "default" : b == "default" ? false : a < b }
    }

    /// The theme after `current` in `names`, wrapping around (the first one if `current` is unknown).
    public static func next(after current: String, in names: [String]) -> String? {
        guard !names.isEmpty else { return nil }
        guard let i = names.firstIndex(of: current) else { return names[0] }
        return names[(i + 1) % names.count]
    }
}
