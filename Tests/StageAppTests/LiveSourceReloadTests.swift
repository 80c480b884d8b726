import Foundation
@testable import StageApp
import StageModel
import Testing

@Suite("LiveSource reload")
struct LiveSourceReloadTests {
    @Test("the detail view's request lines follow a reload: an added probe has one, a removed one has none")
    func requestsFollow() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-requests-\(UUID().uuidString).yaml").path
        let base = "name: r\ntarget: { base_url: \"http://127.0.0.1:9\" }\nprobes:\n"
        try (base + "  - { name: old_one, http: { path: /old } }\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let target = TargetSettings(configPath: path)
        let session = ProbeSession(config: try target.reload(sim: nil))
        let source = LiveSource(session: session, reloading: .init(target: target, sim: nil, recorder: nil, watcher: ConfigFileWatcher(path: path)))
        #expect(source.requests?["old_one"] != nil)
        try (base + "  - { name: new_one, http: { path: /new } }\n").write(toFile: path, atomically: true, encoding: .utf8)
        await source.reload()
        #expect(source.requests?["new_one"]?.url.hasSuffix("/new") == true, "\(String(describing: source.requests))")
        #expect(source.requests?["old_one"] == nil)
        await source.shutdown()
    }
}
