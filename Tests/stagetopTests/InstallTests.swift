import Foundation
import StageTestSupport
import Testing

/// `make install` into a temporary prefix, as a packager or an operator would run it.
@Suite("make install")
struct InstallTests {
    @Test("installs a working binary, completions for bash/zsh/fish, themes, examples and deploy files")
    func install() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("stagetop-prefix-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        // BIN= installs the binary these tests drive: a build from here would wait for `swift test`'s lock
        // on .build, and a release build would take minutes.
        let make = runProcess("/usr/bin/make", ["install", "PREFIX=\(prefix)", "BIN=\(Binary.path)"], directory: Binary.repoRoot.path, timeout: .seconds(120))
        #expect(make.status == 0, "\(make.stdout.suffix(2000))\(make.stderr.suffix(2000))")
        let fm = FileManager.default
        let bin = prefix + "/bin/stagetop"
        #expect(fm.isExecutableFile(atPath: bin))
        for file in ["share/bash-completion/completions/stagetop", "share/zsh/site-functions/_stagetop",
                     "share/fish/vendor_completions.d/stagetop.fish", "share/stagetop/themes/dark.theme",
                     "share/stagetop/examples/staging.yaml", "share/stagetop/deploy/systemd/stagetop-agent.service",
                     "share/stagetop/deploy/prometheus/stagetop.rules.yml", "share/stagetop/deploy/grafana/stagetop.json",
                     "share/doc/stagetop/config.md"] {
            #expect(fm.fileExists(atPath: prefix + "/" + file), "\(file) missing")
        }
        let bash = (try? String(contentsOfFile: prefix + "/share/bash-completion/completions/stagetop", encoding: .utf8)) ?? ""
        #expect(bash.contains("agent") && bash.contains("--api-token-env"), "completions know the agent command")
        let fish = (try? String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/stagetop.fish", encoding: .utf8)) ?? ""
        #expect(fish.contains("watch") && fish.contains("check"))

        // The installed binary runs from anywhere (here: /), and finds nothing in a checkout it needs.
        let version = runProcess(bin, ["--version"], directory: "/", timeout: .seconds(10))
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^\d+\.\d+\.\d+$"#, options: .regularExpression) != nil)
        let check = runProcess(bin, ["check", prefix + "/share/stagetop/examples/staging.yaml", "--sim"], directory: "/", timeout: .seconds(120))
        #expect(check.status == 0 || check.status == 1, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("PROBE") || check.stdout.contains("probe"), "\(check.stdout)")
    }
}
