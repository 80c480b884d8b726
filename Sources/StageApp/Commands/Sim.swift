import Dispatch
import Foundation
import StageSim

extension App {
    /// `stagetop sim`: the simulated staging alone on loopback until SIGINT/SIGTERM.
    public static func sim(port: Int, scenario: String) async -> Int32 {
        let server: SimServer
        do { server = try await SimServer.start(port: port, scenario: scenario) } catch {
            Console.error("cannot start the simulated staging on port \(port): \(error)")
            return ExitStatus.internalError
        }
        let base = server.baseURL
        print("""
        stagetop sim: scenario '\(scenario)' at \(base)  (Ctrl-C stops)
          switch scenario:  curl -X POST \(base)/__sim/scenario/NAME
          flip one route:   curl -X PUT \(base)/__sim/faults -d '{"route":"/api/health","fault":{"status":500}}'
          state:            curl \(base)/__sim/state
          the routes:       curl \(base)/openapi.json
          a token:          curl -X POST -H 'X-E2E-Bypass-Key: \(server.bypassKey)' \(base)/auth/e2e/token
          scenarios:        \(Scenarios.names.joined(separator: ", "))
        """)
        fflush(nil)  // nil flushes every stream; `stdout` is not concurrency-safe in Swift 6
        let signals = SignalStream([SIGINT, SIGTERM])
        _ = await signals.next()
        await server.stop()
        return ExitStatus.allPassed
    }
}
