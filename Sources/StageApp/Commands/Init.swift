import Foundation
import StageModel

extension App {
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
        do {
            _ = try ConfigLoader.parse(yaml: conversion.text, file: output ?? "<init output>",
                                       options: ConfigLoadOptions(fallbacks: conversion.standIns))
        } catch {
            // A conversion that does not load is our bug, not the user's gatus file.
            Console.error("the converted config does not load (a stagetop bug; please report it with the gatus file): \(error)")
            return ExitStatus.internalError
        }
        if let output {
            if FileManager.default.fileExists(atPath: output), !force {
                Console.error("\(output) exists; not overwriting it (add --force to replace it)")
                return ExitStatus.usage
            }
            do { try write(conversion.text, to: output) } catch {
                Console.error("cannot write \(output): \(error.localizedDescription)")
                return ExitStatus.usage
            }
        } else {
            print(conversion.text, terminator: "")
        }
        var notes = ["converted \(conversion.probes) endpoint\(conversion.probes == 1 ? "" : "s") from \(path)" + (output.map { " into \($0)" } ?? "")]
        if !conversion.leftOut.isEmpty {
            notes.append("left out (\(conversion.leftOut.count)):")
            notes += conversion.leftOut.map { "  - \($0)" }
        }
        if !conversion.variables.isEmpty {
            notes.append("set before running (written literally in the gatus file, not copied):")
            notes += conversion.variables.map { "  - \($0.name): \($0.holds)" }
        }
        for line in notes { Console.error(line) }
        return ExitStatus.allPassed
    }
}
