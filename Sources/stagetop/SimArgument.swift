import StageSim

/// `--sim [SCENARIO]`: ArgumentParser has no option with an optional value, so `--sim NAME` and
/// `--sim=NAME` become `--sim --scenario NAME`. A following word is taken as the scenario only when it
/// is a scenario's name, so `check --sim examples/staging.yaml` still reads the path as the config.
enum SimArgument {
    static func rewrite(_ args: [String]) -> [String] {
        var out: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a.hasPrefix("--sim=") {
                out += ["--sim", "--scenario", String(a.dropFirst("--sim=".count))]
            } else if a == "--sim", i + 1 < args.count, Scenarios.named(args[i + 1]) != nil {
                out += ["--sim", "--scenario", args[i + 1]]
                i += 1
            } else {
                out.append(a)
            }
            i += 1
        }
        return out
    }
}
