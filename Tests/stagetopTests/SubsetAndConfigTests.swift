import Foundation
import Testing

/// `--only`/`--skip` and config problems found at load, through the real binary.
@Suite(.serialized) struct SubsetAndConfigTests {
    @Test("--only/--skip run a subset, and the table and the JSON say it is one")
    func subset() throws {
        let out = Binary.tempFile("subset.json")
        let r = try Binary.run(["check", "examples/staging-p1.yaml", "--sim", "ws-1011-streams-hang",
                                "--only", "websocket_*", "--skip", "websocket_concurrent_*", "--json", out])
        #expect(r.status == 1, "the three WebSocket probes close 1011: \(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("0/3 passed (0%)"), "\(r.stdout)")
        #expect(r.stdout.contains("subset: 3 of 25 probes (--only websocket_* --skip websocket_concurrent_*)"), "\(r.stdout)")
        #expect(!r.stdout.contains("agent_discovery_real"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let subset = try #require((doc["summary"] as? [String: Any])?["subset"] as? [String: Any])
        #expect(subset["selected"] as? Int == 3 && subset["total"] as? Int == 25)
        #expect(subset["only"] as? [String] == ["websocket_*"])
    }

    @Test("a selection that matches nothing is a usage error that lists what there is")
    func emptySelection() throws {
        let r = try Binary.run(["check", "examples/staging-p1.yaml", "--sim", "--only", "nope*"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--only nope* leaves no probe"), "\(r.stderr)")
        #expect(r.stderr.contains("groups: agents"), "\(r.stderr)")
    }

    @Test("a path that makes a bad URL is exit 2 with file:line:col at load, not a probe error at run time")
    func badURLAtLoad() throws {
        let path = Binary.tempFile("bad-url.yaml")
        try "target: { base_url: \"https://api.example.com\" }\nprobes:\n  - name: a\n    http:\n      path: \"https://api.${REGION:-eu}.example.com:99999/health\"\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try Binary.run(["check", path])
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("\(path):5:13: error: probe 'a': its URL 'https://api.eu.example.com:99999/health'"), "\(r.stderr)")
        #expect(r.stderr.contains("port 99999"), "\(r.stderr)")
        #expect(r.stdout.isEmpty, "nothing ran")
    }
}
