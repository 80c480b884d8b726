// stagetop-bench: measurements behind the README's figures. Subcommand by argv[1].
import Foundation

let usage = """
usage: stagetop-bench <command> [options]

  sim         serve the simulated staging until SIGINT/SIGTERM
                --port P (0: free port)  --scenario NAME  --delay-route /path=MS (repeatable)
                --rate-limit (keep the sim's /api/health token bucket; off by default here)
              prints "listening http://127.0.0.1:P" once accepting
  latency     N sequential requests through CurlEngine; median/p95 of curl TOTAL_TIME
                --url URL (default: in-process sim, /api/health delayed 80 ms)  --n 200  --delay 80
                --fresh (new connection per request, like one `curl` process each)  --raw (ms per line)
  throughput  requests completed per second with K in flight over keep-alive connections
                --url URL (default: in-process sim, /api/health undelayed)  --concurrency 32  --seconds 5
  render      dashboard frame time (render + diff) and bytes changed per steady-state frame
                --probes 1000  --width 200  --height 60  --frames 2000
  replay      time to open a 1-hour recording (read, parse, seek to end, snapshot)
                --probes 25  --hours 1  --interval 10
  state-doc   the agent's /api/v1/state document: size, encode time, RSS kept after N reads
                --probes 1000  --reads 40  --glibc-default (without the agent's fixed mmap threshold)
  ws-hold N   N held-open authenticated WebSocket probes against the in-process sim: RSS and CPU
  watchdog N  N hanging streams against the in-process sim; p50/p99 of limit → hang verdict (goal p99 ≤ 50 ms)
                --limit-ms 200  --mode mixed|noFirstByte|stallAfter  --concurrency 1  --raw (verdict ms per line)
"""

let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else {
    FileHandle.standardError.write(Data((usage + "\n").utf8))
    exit(2)
}
let options = Options(Array(args.dropFirst()))

do {
    switch command {
    case "sim": try await SimCommand.run(options)
    case "latency": try await LatencyBench.run(options)
    case "throughput": try await ThroughputBench.run(options)
    case "watchdog": try await WatchdogBench.run(options, positional: Array(args.dropFirst()))
    case "ws-hold": try await WebSocketHoldBench.run(options, positional: Array(args.dropFirst()))
    case "render": RenderBench.run(options)
    case "replay": try ReplayBench.run(options)
    case "state-doc": StateDocBench.run(options)
    default:
        FileHandle.standardError.write(Data("unknown command \(command)\n\(usage)\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("stagetop-bench \(command): \(error)\n".utf8))
    exit(1)
}
