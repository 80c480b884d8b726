import Foundation
import StageModel
import Testing
@testable import StageProbes

@Suite("Per-probe tls: one config, two CAs")
struct PerProbeTLSTests {
    @Test("a probe's own ca_file trusts the server while the target's CA does not; server_name is what TLS checks",
          .enabled(if: OpenSSLServer.available))
    func perProbeCA() async throws {
        let server = try await OpenSSLServer()
        let other = try await OpenSSLServer()  // only for its certificate: a CA that did not sign the server's
        other.stopKeepingFiles()
        defer { server.stop(); other.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(atPath: server.certPath, toPath: dir.appendingPathComponent("server-ca.pem").path)
        try FileManager.default.copyItem(atPath: other.certPath, toPath: dir.appendingPathComponent("staging-ca.pem").path)
        let yaml = """
        target:
          base_url: https://127.0.0.1:\(server.port)
          tls: { ca_file: staging-ca.pem }
        probes:
          - name: own_ca
            tls: { ca_file: server-ca.pem }
            http: { path: / }
          - name: target_ca
            http: { path: / }
          - name: wrong_name
            tls: { ca_file: server-ca.pem, server_name: not-localhost.example }
            http: { path: / }
          - name: right_name
            tls: { ca_file: server-ca.pem, server_name: localhost }
            http: { path: / }
        """
        let file = dir.appendingPathComponent("c.yaml").path
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let config = try ConfigLoader.load(path: file, options: ConfigLoadOptions(environment: [:]))
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let runner = HTTPProbeRunner(engine: engine, target: config.target, token: nil)
        var results: [String: ProbeResult] = [:]
        for p in config.probes { results[p.name] = try await withTimeout(15) { await runner.run(p) } }
        #expect(results["own_ca"]?.verdict == .pass, "\(results["own_ca"]?.message ?? "")")
        #expect(results["target_ca"]?.failureClass == .tls, "\(results["target_ca"]?.message ?? "")")
        #expect(results["wrong_name"]?.failureClass == .tls, "the certificate is for localhost: \(results["wrong_name"]?.message ?? "")")
        #expect(results["right_name"]?.verdict == .pass, "\(results["right_name"]?.message ?? "")")
    }
}
