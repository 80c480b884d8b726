import Foundation
import StageModel

extension App {
    /// `stagetop init [-o FILE] [--force]`: the commented starter config (examples/staging.yaml: a staging like
    /// the reports', which passes `check --sim healthy` as it stands).
    public static func initStarter(output: String?, force: Bool) -> Int32 {
        let source = BundledFiles.path("examples/staging.yaml")
        guard let text = try? String(contentsOfFile: source, encoding: .utf8) else {
            Console.error("the starter config is missing from this installation (\(source))")
            return ExitStatus.internalError
        }
        guard let output else {
            print(text, terminator: "")
            return ExitStatus.allPassed
        }
        let status = writeNew(text, to: output, force: force)
        if status == ExitStatus.allPassed {
            Console.error("wrote \(output): edit target.base_url, export STAGING_JWT, then: stagetop check \(output) (or try it now: stagetop check \(output) --sim healthy)")
        }
        return status
    }

    /// The end of every `init` that generates a config: load it (with stand-ins for the `${VAR}`s it reads)
    /// before anything is written, since one that does not load is our bug and not the user's input; then
    /// write it to `output`, or print it.
    static func finishGenerated(_ text: String, standIns: [String: String], output: String?, force: Bool, bugReport: String) -> Int32 {
        do {
            _ = try ConfigLoader.parse(yaml: text, file: output ?? "<init output>", options: ConfigLoadOptions(fallbacks: standIns))
        } catch {
            Console.error("\(bugReport): \(error)")
            return ExitStatus.internalError
        }
        guard let output else {
            print(text, terminator: "")
            return ExitStatus.allPassed
        }
        return writeNew(text, to: output, force: force)
    }

    /// Writes a file `init` created, refusing to replace an existing one without `--force`.
    static func writeNew(_ text: String, to output: String, force: Bool) -> Int32 {
        if FileManager.default.fileExists(atPath: output), !force {
            Console.error("\(output) exists; not overwriting it (add --force to replace it)")
            return ExitStatus.usage
        }
        do { try write(text, to: output) } catch {
            Console.error("cannot write \(output): \(error.localizedDescription)")
            return ExitStatus.usage
        }
        return ExitStatus.allPassed
    }

    /// `stagetop init --from-gatus GATUS.yaml [-o FILE] [--force]`: a stagetop config from a gatus config.
    /// The output is loaded before it is written (with stand-ins for the `${VAR}`s it reads), so what it
    /// writes loads; what it left out goes to stderr as well as into the file's comments.
    public static func initFromGatus(path: String, output: String?, force: Bool) -> Int32 {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            Console.error("cannot read \(path): \(error.localizedDescription)")
            return ExitStatus.usage
        }
        let conversion: GatusConversion
        do { conversion = try GatusConversion.convert(text, source: (path as NSString).lastPathComponent) } catch {
            Console.error(error.description)
            return ExitStatus.usage
        }
        let written = finishGenerated(conversion.text, standIns: conversion.standIns, output: output, force: force,
                                      bugReport: "the converted config does not load (a stagetop bug; please report it with the gatus file)")
        if written != ExitStatus.allPassed { return written }
        var notes = ["converted \(conversion.probes) endpoint\(conversion.probes == 1 ? "" : "s") from \(path)" + (output.map { " into \($0)" } ?? "")]
        notes += listed("left out (\(conversion.leftOut.count)):", conversion.leftOut)
        notes += listed("set before running (written literally in the gatus file, not copied):",
                        conversion.variables.map { "\($0.name): \($0.holds)" })
        for line in notes { Console.error(line) }
        return ExitStatus.allPassed
    }
}

extension App {
    /// A heading and its items as stderr lines ("left out (2):", "  - …"); nothing when there are none.
    static func listed(_ heading: String, _ items: [String]) -> [String] {
        items.isEmpty ? [] : [heading] + items.map { "  - \($0)" }
    }

    /// `stagetop init --openapi URL|FILE [--base-url URL] [-o FILE] [--force]`: a starter config from an
    /// OpenAPI document, one probe per GET operation that needs no parameter. As with `--from-gatus`, the
    /// output is loaded before it is written, and what was skipped goes to stderr as well as into the file.
    public static func initFromOpenAPI(source: String, baseURL: String?, output: String?, force: Bool) async -> Int32 {
        if let output, FileManager.default.fileExists(atPath: output), !force {
            // Before any fetch: the answer would be thrown away.
            Console.error("\(output) exists; not overwriting it (add --force to replace it)")
            return ExitStatus.usage
        }
        if let baseURL, !OpenAPIFetch.isURL(baseURL) || URLComponents(string: baseURL)?.host?.isEmpty != false {
            Console.error("--base-url '\(baseURL)' is not an http(s) URL with a host (e.g. https://api.staging.example.com)")
            return ExitStatus.usage
        }
        let isURL = OpenAPIFetch.isURL(source)
        let text: String
        switch await OpenAPIFetch.text(source, isURL: isURL) {
        case .success(let t): text = t
        case .failure(let f):
            Console.error("\(f)")
            return ExitStatus.usage
        }
        let conversion: OpenAPIConversion
        do {
            let spec = try OpenAPISpec.parse(text, source: source)
            conversion = try OpenAPIConversion.convert(spec, source: source, baseURL: baseURL, documentURL: isURL ? source : nil)
        } catch {
            Console.error(error.description)
            return ExitStatus.usage
        }
        let written = finishGenerated(conversion.text, standIns: conversion.standIns, output: output, force: force,
                                      bugReport: "the generated config does not load (a stagetop bug; please report it with the document)")
        if written != ExitStatus.allPassed { return written }
        var notes = ["wrote \(conversion.probes) probe\(conversion.probes == 1 ? "" : "s") from \(source)" + (output.map { " into \($0)" } ?? "")]
        notes += listed("skipped (\(conversion.skipped.count)):", conversion.skipped)
        if !conversion.standIns.isEmpty {
            notes.append("set \(OpenAPIConversion.tokenVariable) to a bearer token before running (or try it against the sim: --sim healthy)")
        }
        for line in notes { Console.error(line) }
        return ExitStatus.allPassed
    }
}
