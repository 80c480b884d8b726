import Foundation
import FuzzSupport
import StageModel

// The config loader: YAML text → StageConfig, with `${VAR}` expansion, field checks and URL checks.
// The environment is fixed, so set, empty, unset, defaulted and secret-named variables are all reachable.

private let environment = [
    "STAGING_JWT": "canary-token-value-123", "REGION": "eu", "PORT": "8443", "TENANT": "acme",
    "API_KEY": "canary-api-key-456", "CHAT_TEXT": "status?", "EMPTY": "", "HOST": "127.0.0.1",
]

/// A folder with a good and a bad `ca_file`, so the PEM check runs on real files (the paths in the seeds).
private let configDir: String = {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-fuzz-config-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let pem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowCgYIKoZIzj0EAwIwEjEQMA4GA1UEAwwHdGVzdC1jYTAe\n-----END CERTIFICATE-----\n"
    _ = FileManager.default.createFile(atPath: dir + "/ca-eu.pem", contents: Data(pem.utf8))
    _ = FileManager.default.createFile(atPath: dir + "/junk.pem", contents: Data("not a certificate\n".utf8))
    return dir
}()

/// `--sim` loads differently (an unset token is fine, fallbacks fill in); the input's length picks one, so
/// both paths are fuzzed without spending input bytes on a switch.
private let plain = ConfigLoadOptions(environment: environment)
private let sim = ConfigLoadOptions(environment: environment, allowMissingToken: true, fallbacks: ["E2E_BYPASS_KEY": "sim-bypass-key"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let yaml = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let config: StageConfig
    do {
        config = try ConfigLoader.parse(yaml: yaml, file: configDir + "/c.yaml", options: size % 2 == 0 ? plain : sim)
    } catch {
        _ = error.description  // the message is what a user sees: build it too
        return 0
    }
    // What the screen and reports derive from a loaded config straight away: the repro lines (secret masking).
    for probe in config.probes {
        _ = RequestRepro.make(probe, target: config.target, auth: config.auth, secrets: config.secretVariables)
    }
    return 0
}

@main enum Main {
    static func main() { runLibFuzzer(fuzzConfig) }
}
