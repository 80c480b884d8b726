import Foundation
import StageModel

/// Runs `journey:` probes: each step through its own kind's runner, in order, with the values earlier
/// steps captured filled into its request and conditions. The first step that does not pass decides the
/// journey's verdict and class; the steps after it are `skip` (they never ran).
///
/// The journey's timeout bounds the whole journey: each step gets what is left of it.
public struct JourneyProbeRunner: KindRunner {
    let http: HTTPProbeRunner
    let stream: StreamProbeRunner
    /// Its single-connection path (`once`) reports the step's close as a websocket probe's would.
    let websocket: WebSocketProbeRunner
    let tokens: any TokenSource
    let clock: any WallClock
    /// `.journeyStep` as each step starts.
    let events: (@Sendable (ProbeEvent) -> Void)?

    public init(http: HTTPProbeRunner, stream: StreamProbeRunner, websocket: WebSocketProbeRunner,
                tokens: any TokenSource, clock: any WallClock = SystemClock(), events: (@Sendable (ProbeEvent) -> Void)? = nil) {
        self.http = http; self.stream = stream; self.websocket = websocket
        self.tokens = tokens; self.clock = clock; self.events = events
    }

    public func run(_ journey: JourneyProbeSpec, probe spec: ProbeSpec) async -> ProbeResult {
        let startedAt = clock.now()
        let deadline = startedAt.addingTimeInterval(spec.timeout.seconds)
        let total = journey.steps.count
        var values: [String: String] = [:]
        var secrets: [String] = []
        var steps: [JourneyStepResult] = []
        var certificate: CertificateExpiry?
        var stopped = false

        for (i, step) in journey.steps.enumerated() {
            if stopped {
                steps.append(JourneyStepResult(name: step.name, kind: step.body.kind, verdict: .skip, message: "not run: an earlier step failed"))
                continue
            }
            events?(.journeyStep(JourneyProgress(probe: spec.name, step: i + 1, of: total, name: step.name)))
            let stepStart = clock.now()
            var done = await runStep(step, probe: spec, values: values, deadline: deadline)
            let ended = clock.now()
            done.step.offsetMs = stepStart.timeIntervalSince(startedAt) * 1000
            done.step.durationMs = ended.timeIntervalSince(stepStart) * 1000
            if done.step.verdict == .pass {
                // Captures come from a step that passed: a failed step's answer is not the one the next step expects.
                for c in step.captures {
                    guard let v = Conditions.capture(c.expr, done.observation) else {
                        done.step.verdict = .fail
                        done.step.failureClass = .schema
                        done.step.message += "; capture \(c.name): \(c.source) found nothing"
                        break
                    }
                    values[c.name] = v
                    if c.secret { secrets.append(v) }
                    done.step.captures.append(CapturedValue(name: c.name, value: c.secret ? SecretScrubber.mask : v, secret: c.secret))
                }
            }
            // The header's certificate badge wants the nearest expiry among the steps' hosts.
            if let cert = done.certificate, certificate.map({ cert.notAfter < $0.notAfter }) ?? true {
                certificate = cert
            }
            stopped = done.step.verdict != .pass
            steps.append(done.step)
        }

        var r = Self.summary(JourneyInfo(steps: steps), probe: spec, startedAt: startedAt, finishedAt: clock.now())
        r.certificate = certificate
        // A captured secret (a token a login step answered) is masked wherever the run's text could show it.
        return secrets.isEmpty ? r : SecretScrubber(secrets: secrets).scrub(r)
    }

    /// One verdict for the journey from its steps.
    static func summary(_ info: JourneyInfo, probe spec: ProbeSpec, startedAt: Date, finishedAt: Date) -> ProbeResult {
        let total = info.steps.count
        let latencies = info.steps.compactMap(\.latencyMs)
        var r = ProbeResult(probe: spec.name, kind: .journey, verdict: .pass, startedAt: startedAt, finishedAt: finishedAt)
        r.latencyMs = latencies.isEmpty ? nil : latencies.reduce(0, +)
        r.conditions = info.steps.flatMap { step in
            step.conditions.map { ConditionResult(expr: "\(step.name): \($0.expr)", ok: $0.ok, actual: $0.actual) }
        }
        if let (i, failing) = info.failing {
            r.verdict = failing.verdict
            r.failureClass = failing.failureClass
            r.status = failing.status
            r.closeCode = failing.closeCode
            r.message = "step \(i + 1)/\(total) \(failing.name): \(failing.message)"
        } else {
            r.status = info.steps.last?.status
            r.message = "\(total) step\(total == 1 ? "" : "s") ok in \(Format.latency(r.latencyMs))"
        }
        r.journey = info
        return r
    }

    private struct StepOutcome {
        var step: JourneyStepResult
        var observation: Observation
        var certificate: CertificateExpiry?
    }

    private func runStep(_ step: JourneyStep, probe spec: ProbeSpec, values: [String: String], deadline: Date) async -> StepOutcome {
        let kind = step.body.kind
        let left = deadline.timeIntervalSince(clock.now())
        guard left > 0.001 else {
            return StepOutcome(step: JourneyStepResult(name: step.name, kind: kind, verdict: .fail, failureClass: .timeout,
                                                       message: "the journey's timeout (\(Format.latency(spec.timeout.seconds * 1000))) ran out before this step"),
                               observation: Observation())
        }
        var conditions: [Condition] = []
        for c in step.conditions {
            switch c.filled(values) {
            case .success(let filled): conditions.append(filled)
            case .failure(let e):
                // The text came from the config and parsed at load: only a captured value can have broken it.
                return StepOutcome(step: JourneyStepResult(name: step.name, kind: kind, verdict: .fail, failureClass: .condition,
                                                           message: "condition '\(c.source)' does not parse with the captured values: \(e.message)"),
                                   observation: Observation())
            }
        }
        var child = ProbeSpec(name: spec.name, group: spec.group, body: step.body.filled(values).probeBody, conditions: conditions,
                              interval: spec.interval, timeout: .s(left), enabled: true, location: step.location)
        child.tls = spec.tls

        let result: ProbeResult
        var observation: Observation
        switch child.body {
        case .http(let s):
            result = await http.run(s, probe: child)
            observation = Self.observation(result)
        case .stream(let s):
            result = await stream.run(s, probe: child)
            observation = Self.observation(result)
        case .websocket(let ws):
            if let refused = await LoginGate.refusal(child, tokens: tokens, clock: clock) {
                result = refused
                observation = Observation()
                break
            }
            let (r, a) = await websocket.once(ws, probe: child)
            result = r
            observation = Self.observation(result)
            // [BODY] of a WebSocket step is its last text message, as for a websocket probe's conditions.
            observation.body = a.steps?.lastText.map { Array($0.utf8) }
            observation.headers = a.handshake?.headers ?? []
            observation.subprotocol = a.subprotocol
            observation.connected = a.connected
        case .burst, .journey:
            // The loader admits only http, websocket and stream steps (JourneyKind.swift).
            result = ProbeResult(probe: spec.name, kind: kind, verdict: .error, failureClass: .config,
                                 message: "internal: a journey step of kind \(child.kind.rawValue)", startedAt: clock.now(), finishedAt: clock.now())
            observation = Observation()
        }
        let stepResult = JourneyStepResult(
            name: step.name, kind: kind, verdict: result.verdict, failureClass: result.failureClass, status: result.status,
            closeCode: result.closeCode, latencyMs: result.latencyMs, message: result.message, conditions: result.conditions)
        return StepOutcome(step: stepResult, observation: observation, certificate: result.certificate)
    }

    /// What a step's captures read: its status, answer headers and body as the result kept them.
    static func observation(_ r: ProbeResult) -> Observation {
        Observation(status: r.status, responseTimeMs: r.latencyMs, ttfbMs: r.timings?.ttfb, body: r.response?.body,
                    headers: r.response?.headers ?? [], connected: r.status != nil, closeCode: r.closeCode)
    }
}
