import CCurl
import Foundation
import StageModel
import StageSim
import Testing
@testable import StageProbes

@Suite("CurlEngine against the simulated staging")
struct CurlEngineTests {
    @Test("200 with curl timings in order: total ≥ ttfb ≥ connect ≥ 0")
    func okWithTimings() async throws {
        try await withSim { sim, engine in
            let r = try await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health")).get()
            #expect(r.status == 200)
            #expect(r.httpVersion == "1.1")
            #expect(r.effectiveURL == sim.baseURL + "/api/health")
            #expect(r.header("content-type")?.hasPrefix("application/json") == true)
            #expect(String(decoding: r.body, as: UTF8.self).contains("healthy"))
            #expect(r.bodyBytes == r.body.count && !r.truncated)
            let t = r.timings
            #expect(t.dns >= 0 && t.connect >= 0 && t.tls == 0)
            let ttfb = try #require(t.ttfb, "a response arrived, so there is a ttfb")
            #expect(t.total >= ttfb)
            #expect(ttfb >= t.dns + t.connect)
            #expect(t.total > 0)
            #expect(r.newConnections == 1)
        }
    }

    @Test("a kept-alive connection is reused by the next request")
    func connectionReuse() async throws {
        try await withSim { sim, engine in
            let first = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
            let second = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
            #expect(first.newConnections == 1)
            #expect(second.newConnections == 0)
            #expect(second.timings.connect == 0)
        }
    }

    @Test("reuseConnection: false opens a fresh connection every time")
    func freshConnection() async throws {
        try await withSim { sim, engine in
            for _ in 0..<2 {
                let r = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health", reuseConnection: false)).get()
                #expect(r.newConnections == 1)
            }
        }
    }

    @Test("a 307 comes back as a 307 with its target; followed only when asked")
    func redirects() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(redirectTo: "/health/"), for: "/health")
            let r = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
            #expect(r.status == 307)
            #expect(r.redirectURL == sim.baseURL + "/health/")
            #expect(r.header("Location") == "/health/")

            let f = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health", followRedirects: true)).get()
            #expect(f.status == 200)
            #expect(f.effectiveURL == sim.baseURL + "/health/")
            // Only the last response's headers are kept.
            #expect(f.header("Location") == nil)
        }
    }

    @Test("the body is capped; bytes beyond the cap are counted, not kept")
    func bodyCap() async throws {
        try await withSim { sim, engine in
            let detail = String(repeating: "x", count: 200_000)
            sim.setFault(.status(500, detail: detail), for: "/api/health")
            let r = try await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health")).get()
            #expect(r.status == 500)
            #expect(r.body.count == 64 * 1024)
            #expect(r.bodyBytes > 200_000)
            #expect(r.truncated)

            let small = try await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health", maxBodyBytes: 10)).get()
            #expect(small.body.count == 10 && small.bodyBytes == r.bodyBytes)
        }
    }

    @Test("a request over its timeout fails as timeout, promptly")
    func timeout() async throws {
        try await withSim { sim, engine in
            sim.setFault(.delay(ms: 2000), for: "/api/health")
            let start = ContinuousClock.now
            let result = await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health", timeout: 0.3))
            let elapsed = ContinuousClock.now - start
            guard case .failure(let f) = result else { Issue.record("expected a timeout, got \(result)"); return }
            #expect(f.failureClass == .timeout)
            #expect(f.code == 28)
            #expect(elapsed >= .milliseconds(290) && elapsed < .milliseconds(1500))
        }
    }

    @Test("connection refused is a network failure with curl's message")
    func refused() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let port = closedPort()
        let result = try await withTimeout(10) { await engine.perform(HTTPRequest(url: "http://127.0.0.1:\(port)/health")) }
        guard case .failure(let f) = result else { Issue.record("expected refusal, got \(result)"); return }
        #expect(f.failureClass == .network)
        #expect(f.code == 7)
        #expect(f.message.contains("\(port)"))
        #expect(f.summary == "connection refused")
        #expect(f.osErrno == Int(ECONNREFUSED))
    }

    @Test("bad URLs and non-HTTP schemes are config failures")
    func configFailures() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        for url in ["ftp://127.0.0.1/x", "file:///etc/passwd", "http://[::1"] {
            let result = try await withTimeout(10) { await engine.perform(HTTPRequest(url: url)) }
            guard case .failure(let f) = result else { Issue.record("expected failure for \(url)"); continue }
            #expect(f.failureClass == .config, "\(url): \(f)")
        }
    }

    @Test("200 concurrent requests all complete")
    func manyConcurrent() async throws {
        try await withSim(timeout: 30) { sim, engine in
            // /api/health sits behind the sim's token bucket (for burst probes); this test is about the client.
            sim.disableRateLimit()
            let outcomes = await withTaskGroup(of: String.self) { group in
                for i in 0..<200 {
                    let path = i % 2 == 0 ? "/api/health" : "/health"
                    group.addTask {
                        switch await engine.perform(HTTPRequest(url: sim.baseURL + path)) {
                        case .success(let r): "\(r.status)"
                        case .failure(let f): f.description
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.count == 200)
            let odd = outcomes.filter { $0 != "200" }
            #expect(odd.isEmpty, "\(odd.count) not 200, e.g. \(odd.prefix(3))")
            #expect(engine.inFlight == 0)
        }
    }

    @Test("cancelling the awaiting task removes the transfer at once")
    func cancellation() async throws {
        try await withSim { sim, engine in
            sim.setFault(.delay(ms: 5000), for: "/api/health")
            try await warmUp(engine, sim)
            let task = Task { await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health", timeout: 10)) }
            // Wait (bounded by withSim's timeout) until curl owns the transfer, so this is not a pre-submit cancel.
            while engine.activeTransfers == 0 { await Task.yield() }
            let start = ContinuousClock.now
            task.cancel()
            let result = await task.value
            #expect(ContinuousClock.now - start < .seconds(1))
            guard case .failure(let f) = result else { Issue.record("expected cancellation, got \(result)"); return }
            #expect(f.cancelled)
            #expect(engine.inFlight == 0)
            // The engine keeps working afterwards.
            let ok = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
            #expect(ok.status == 200)
        }
    }

    @Test("a task cancelled before it submits never reaches curl")
    func cancelledBeforeSubmit() async throws {
        let engine = CurlEngine()
        defer { engine.shutdown() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await engine.perform(HTTPRequest(url: "http://127.0.0.1:1/never"))
        }
        let result = try await withTimeout(5) { await task.value }
        guard case .failure(let f) = result else { Issue.record("expected cancellation"); return }
        #expect(f.cancelled)
        #expect(engine.inFlight == 0)
    }

    @Test("shutdown fails transfers in flight and later requests, and returns promptly")
    func shutdown() async throws {
        let sim = try await SimServer.start(scenario: "healthy")
        sim.setFault(.delay(ms: 5000), for: "/api/health")
        let engine = CurlEngine()
        try await warmUp(engine, sim)
        let pending = Task { await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health", timeout: 10)) }
        try await withTimeout(5) { while engine.activeTransfers == 0 { await Task.yield() } }
        engine.shutdown()
        let result = try await withTimeout(5) { await pending.value }
        if case .failure(let f) = result { #expect(f.cancelled) } else { Issue.record("expected failure") }
        let after = await engine.perform(HTTPRequest(url: sim.baseURL + "/health"))
        if case .failure(let f) = after { #expect(f.cancelled) } else { Issue.record("expected failure after shutdown") }
        await sim.stop()
    }

    @Test("--resolve entries pin a name to an address")
    func resolveList() async throws {
        try await withSim { sim, engine in
            let host = "api.staging.example.test"
            let r = try await engine.perform(HTTPRequest(url: "http://\(host):\(sim.port)/health",
                                                         resolve: ["\(host):\(sim.port):127.0.0.1"])).get()
            #expect(r.status == 200)
            #expect(r.effectiveURL.contains(host))
        }
    }

    @Test("an unreadable CA file fails as tls, through CURLOPT_CAINFO")
    func tlsFailure() async throws {
        try await withSim { sim, engine in
            // TCP connects (the sim listens); curl then fails setting up TLS with the missing CA bundle.
            let result = await engine.perform(HTTPRequest(url: "https://127.0.0.1:\(sim.port)/health", timeout: 5,
                                                          tls: TLSSettings(caFile: "/nonexistent/stagetop-ca.pem")))
            guard case .failure(let f) = result else { Issue.record("expected a TLS failure, got \(result)"); return }
            #expect(f.failureClass == .tls, "\(f)")
            #expect(f.code == 77)
            #expect(f.summary.hasPrefix("TLS: "))
        }
    }

    @Test("reused easy handles carry no options over from the previous transfer")
    func handleReuseIsClean() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(redirectTo: "/health/"), for: "/health")
            for _ in 0..<3 {
                let post = HTTPRequest(url: sim.baseURL + "/auth/e2e/token", method: "POST",
                                       headers: [("X-E2E-Bypass-Key", sim.bypassKey)], body: Array("{}".utf8),
                                       followRedirects: true, maxBodyBytes: 4)
                let p = try await engine.perform(post).get()
                #expect(p.status == 200 && p.body.count == 4)
                // A GET after the POST: were the method, body, follow flag or cap kept, this would be 405 or 200.
                let g = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
                #expect(g.status == 307)
                #expect(g.body.count == g.bodyBytes)
            }
        }
    }

    @Test("a handle kept configured for its request's shape takes the next one's URL, headers and error text")
    func keptHandlesTakeTheNextRequest() async throws {
        try await withSim { sim, engine in
            sim.setFault(RouteFault(redirectTo: "/health/"), for: "/health")
            for _ in 0..<2 {
                // Same shape, another URL: the kept handle must go where the new request says.
                #expect(try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get().status == 307)
                let ok = try await engine.perform(HTTPRequest(url: sim.baseURL + "/api/health")).get()
                #expect(ok.status == 200 && String(decoding: ok.body, as: UTF8.self).contains("healthy"))
                // Same shape, a port nobody listens on: the failure and its text are this transfer's own.
                let refused = await engine.perform(HTTPRequest(url: "http://127.0.0.1:9/health"))
                guard case .failure(let f) = refused else { Issue.record("port 9 answered"); return }
                #expect(f.failureClass == .network && !f.message.isEmpty)
                // Headers are part of the shape: a wrong key after a right one is refused, the right one passes again.
                for (key, expected) in [(sim.bypassKey, 200), ("wrong", 401), (sim.bypassKey, 200)] {
                    let login = HTTPRequest(url: sim.baseURL + "/auth/e2e/token", method: "POST",
                                            headers: [("X-E2E-Bypass-Key", key)], body: Array("{}".utf8))
                    let status = try await engine.perform(login).get().status
                    #expect(status == expected || (expected == 401 && status == 403), "key \(key == "wrong" ? "wrong" : "right"): \(status)")
                }
            }
        }
    }

    @Test("spares: one configured for the request's shape is taken first; any other only to be reset")
    func sparesByShape() {
        var spares = CurlSpareHandles(limit: 2)
        let get = HTTPRequest(url: "http://a/x", headers: [("Accept", "application/json")])
        let post = HTTPRequest(url: "http://a/y", method: "POST", body: [1])
        let h = (0..<4).map { _ in curl_easy_init()! }
        spares.put(CurlSpare(easy: h[0], shape: get))
        spares.put(CurlSpare(easy: h[1], shape: post))
        var other = get
        other.url = "http://a/z"
        #expect(spares.take(for: other)?.easy == h[0], "same shape, another URL: the GET's own spare, not the newest")
        spares.put(CurlSpare(easy: h[2], shape: nil))
        other.headers = [("Accept", "text/plain")]
        let reset = spares.take(for: other)
        #expect(reset?.easy == h[2] && reset?.shape == nil, "no spare of this shape: the newest, to be reset")
        // Full: the oldest (the POST's) goes, so a POST finds only a GET's spare.
        spares.put(CurlSpare(easy: h[3], shape: get))
        spares.put(CurlSpare(easy: h[2], shape: get))
        let forPost = spares.take(for: post)
        #expect(forPost?.easy == h[2] && forPost?.shape.map(post.sameShape) == false)
        spares.removeAll()
        curl_easy_cleanup(h[0])
        curl_easy_cleanup(h[2])
    }

    @Test("request headers go out in order; a POST body arrives intact")
    func headersAndBody() async throws {
        try await withSim { sim, engine in
            let login = HTTPRequest(url: sim.baseURL + "/auth/e2e/token", method: "POST",
                                    headers: [("X-E2E-Bypass-Key", sim.bypassKey), ("Content-Type", "application/json")],
                                    body: Array(#"{"user":"probe-user"}"#.utf8))
            let r = try await engine.perform(login).get()
            #expect(r.status == 200)
            let token = JSONValue.parse(r.body)?["access_token"]
            #expect(token != nil)
        }
    }
}

/// Opens the engine's kept-alive connection to the sim before a test cuts a transfer short. A connection
/// the server accepts while it is being stopped can trap NIO ("Deinited NIOAsyncWriter without calling
/// finish()", apple/swift-nio#3481); reusing an established connection keeps these tests clear of that window.
func warmUp(_ engine: CurlEngine, _ sim: SimServer) async throws {
    let r = try await engine.perform(HTTPRequest(url: sim.baseURL + "/health")).get()
    #expect(r.status == 200)
}
