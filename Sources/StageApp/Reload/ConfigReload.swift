import Foundation
import StageModel

/// What a reload changes: probes compared by their full spec (where they sit in the file aside).
struct ConfigDiff: Sendable, CustomStringConvertible {
    var added: [String], removed: [String], changed: [String]
    /// Probes whose spec is the same: they keep their history, stats and counters.
    var unchanged: Set<String>

    init(from old: StageConfig, to new: StageConfig) {
        let before = Self.prints(old), after = Self.prints(new)
        unchanged = Set(after.filter { before[$0.key] == $0.value }.keys)
        added = after.keys.filter { before[$0] == nil }.sorted()
        removed = before.keys.filter { after[$0] == nil }.sorted()
        changed = after.keys.filter { before[$0] != nil && before[$0] != after[$0] }.sorted()
    }

    var description: String {
        "\(added.count) added, \(removed.count) removed, \(changed.count) changed, \(unchanged.count) unchanged"
    }

    static func prints(_ c: StageConfig) -> [String: String] {
        Dictionary(c.probes.map { ($0.name, fingerprint($0)) }, uniquingKeysWith: { a, _ in a })
    }

    /// A spec's identity: its full description (every field, nested values included).
    static func fingerprint(_ spec: ProbeSpec) -> String {
        var copy = spec
        copy.location = nil  // moving a probe within the file is not a change
        return String(describing: copy)
    }
}

extension ProbeSession {
    /// The store a reloaded config starts from: unchanged probes' state carried over from this session's.
    func carriedOverStore(to config: StageConfig, unchanged: Set<String>) -> SharedStore {
        let old = store.value
        var next = Store(config: config, startedAt: old.startedAt)
        next.carryOver(from: old, unchanged: unchanged)
        return SharedStore(next)
    }
}

/// What identifies a file's content for the watcher: inode (an editor's rename replaces it), size and
/// modification time to the nanosecond.
struct FileIdentity: Equatable, Sendable {
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        inode = UInt64(st.st_ino); size = Int64(st.st_size); seconds = st.st_mtim.tv_sec; nanoseconds = st.st_mtim.tv_nsec
    }
}

/// Reloads when the config file changes: written in place, or replaced by an editor's
/// write-to-temp-and-rename (the path's inode changes). Polled once a second: inotify would lose track
/// of a file that was renamed over, and a second is quick enough for a human saving a file.
final class ConfigFileWatcher: Sendable {
    let path: String
    /// The file as last read, so a reload another way (SIGHUP) is not repeated by the watcher.
    private let loaded: Locked<FileIdentity?>

    init(path: String) {
        self.path = path
        loaded = Locked(FileIdentity(path: path))
    }

    /// Call as a reload reads the file.
    func markLoaded() { loaded.withLock { $0 = FileIdentity(path: path) } }

    func start(every interval: Swift.Duration = .seconds(1), onChange: @escaping @Sendable () async -> Void) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let now = FileIdentity(path: path)
                guard now != nil, now != loaded.withLock({ $0 }) else { continue }
                // Let a writer finish (an editor writes, then renames): reload once it has been still a moment.
                try? await Task.sleep(for: .milliseconds(200))
                guard FileIdentity(path: path) == now, !Task.isCancelled else { continue }
                await onChange()
            }
        }
    }
}

/// Runs reloads one after another (a SIGHUP and a file change at once must not swap sessions twice in parallel).
actor ReloadQueue {
    func serially(_ body: @Sendable () async -> Void) async { await body() }
}
