import Foundation
import StageModel
import Testing

/// Keeps docs/architecture.md's "how to add a probe kind" honest: the per-kind folders it lists exist for
/// every kind, and no folder under a `Kinds/` belongs to a kind `ProbeKind` does not have.
@Suite("docs/architecture.md: one folder per kind per target")
struct ArchitectureTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The kind's folder name. A switch, so a new kind cannot be added without saying where its folders are.
    static func folder(_ kind: ProbeKind) -> String {
        switch kind {
        case .http: "HTTP"
        case .stream: "Stream"
        case .burst: "Burst"
        case .websocket: "WebSocket"
        case .journey: "Journey"
        }
    }

    /// The paths between the `kind-files` markers of docs/architecture.md.
    static func documentedKindFolders() throws -> [String] {
        let doc = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        guard let start = doc.range(of: "<!-- kind-files"), let end = doc.range(of: "<!-- /kind-files -->") else { return [] }
        return doc[start.upperBound..<end.lowerBound].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix("Sources/") }
    }

    func swiftFiles(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".swift") }
    }

    @Test("every documented per-kind folder exists, with Swift files, for every kind; at most one per target")
    func documentedFoldersExist() throws {
        let templates = try Self.documentedKindFolders()
        #expect(templates.count >= 4, "the kind-files block of docs/architecture.md lists the per-kind folders")
        let targets = templates.map { $0.split(separator: "/")[1] }
        #expect(Set(targets).count == targets.count, "one folder per target")
        for kind in ProbeKind.allCases {
            for t in templates {
                let path = t.replacingOccurrences(of: "{Kind}", with: Self.folder(kind))
                #expect(!swiftFiles(in: Self.root.appendingPathComponent(path)).isEmpty, "\(kind.rawValue): \(path) has no Swift file")
            }
        }
    }

    @Test("every folder under a target's Kinds/ is a kind ProbeKind knows")
    func noStrayKindFolders() throws {
        let known = Set(ProbeKind.allCases.map(Self.folder))
        let sources = Self.root.appendingPathComponent("Sources")
        for target in try FileManager.default.contentsOfDirectory(atPath: sources.path) {
            let kinds = sources.appendingPathComponent(target).appendingPathComponent("Kinds")
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: kinds.path) else { continue }
            for e in entries where !e.hasSuffix(".swift") {
                #expect(known.contains(e), "Sources/\(target)/Kinds/\(e) is not a probe kind")
            }
        }
    }
}
