import Foundation
import Testing

@testable import StageSim

@Suite("threads by id: create 201, read, delete 204, unknown 404, and the store that loses writes")
struct ThreadsByIDTests {
    @Test func createReadDeleteThenGone() async throws {
        try await withSim { sim in
            let token = sim.devToken
            let created = try await sim.post("/api/threads", token: token, body: #"{"title":"read after write"}"#)
            #expect(created.status == 201)
            #expect(created.header("Content-Type") == "application/json")
            let id = try #require(created.json()?["id"] as? String)
            #expect(created.json()?["title"] as? String == "read after write")
            #expect(created.json()?["created_at"] as? String != nil)

            let read = try await sim.get("/api/threads/\(id)", token: token)
            #expect(read.status == 200)
            #expect(read.json()?["id"] as? String == id)
            #expect(read.json()?["title"] as? String == "read after write")
            // One trailing slash is the same route, as everywhere in the sim.
            #expect(try await sim.get("/api/threads/\(id)/", token: token).status == 200)

            let deleted = try await sim.send("DELETE", "/api/threads/\(id)", token: token)
            #expect(deleted.status == 204)
            #expect(deleted.body.isEmpty)

            let gone = try await sim.get("/api/threads/\(id)", token: token)
            #expect(gone.status == 404)
            #expect(gone.text == #"{"detail":"Thread not found"}"#)
            let again = try await sim.send("DELETE", "/api/threads/\(id)", token: token)
            #expect(again.status == 404)
            #expect(again.json()?["detail"] as? String == "Thread not found")
            let list = try #require(try await sim.get("/api/threads", token: token).json()?["threads"] as? [[String: Any]])
            #expect(!list.contains { $0["id"] as? String == id })
        }
    }

    @Test func byIDNeedsTheTokenAndServesOnlyGetAndDelete() async throws {
        try await withSim { sim in
            let anonymous = try await sim.get("/api/threads/thread-1")
            #expect(anonymous.status == 401)
            #expect(anonymous.json()?["detail"] as? String == "Not authenticated")
            #expect(try await sim.send("DELETE", "/api/threads/thread-1", token: "garbage").status == 401)
            let post = try await sim.post("/api/threads/thread-1", token: sim.devToken)
            #expect(post.status == 405)
            #expect(post.header("Allow") == "DELETE, GET")
            // A deeper path is not a thread.
            #expect(try await sim.get("/api/threads/thread-1/messages", token: sim.devToken).status == 404)
            #expect(try await sim.get("/api/threads/thread-1", token: sim.devToken).json()?["title"] as? String == "Staging smoke test")
        }
    }

    @Test func theCollectionsFaultsReachTheThreadsByIDButNotItsRedirect() async throws {
        try await withSim { sim async throws in
            let token = sim.devToken
            sim.setFault(.status(500), for: "/api/threads")
            #expect(try await sim.get("/api/threads/thread-1", token: token).status == 500)
            #expect(try await sim.send("DELETE", "/api/threads/thread-1", token: token).status == 500)
            // A fault on the template applies to every id, and wins over the collection's.
            sim.setFault(.status(503), for: "/api/threads/{id}")
            #expect(try await sim.get("/api/threads/thread-1", token: token).status == 503)
            // A fault on one exact path wins over both.
            sim.setFault(RouteFault(), for: "/api/threads/thread-1")
            #expect(try await sim.get("/api/threads/thread-1", token: token).status == 200)
            sim.clearFaults()

            sim.setFault(.redirect(to: "/api/threads/"), for: "/api/threads")
            #expect(try await sim.get("/api/threads", token: token).status == 307)
            #expect(try await sim.get("/api/threads/thread-1", token: token).status == 200)
            sim.setFault(.wrongShape, for: "/api/threads")
            let wrong = try await sim.get("/api/threads/thread-1", token: token)
            #expect(wrong.status == 200 && wrong.text == #"{"thread":null}"#)
        }
    }

    @Test func lostWritesAnswer201ButTheReadByIDIs404() async throws {
        try await withSim(scenario: "lost-writes") { sim in
            let token = sim.devToken
            let before = try #require(try await sim.get("/api/threads", token: token).json()?["threads"] as? [[String: Any]])
            let created = try await sim.post("/api/threads", token: token, body: #"{"title":"lost"}"#)
            #expect(created.status == 201)
            let id = try #require(created.json()?["id"] as? String)

            let read = try await sim.get("/api/threads/\(id)", token: token)
            #expect(read.status == 404)
            #expect(read.json()?["detail"] as? String == "Thread not found")
            let after = try #require(try await sim.get("/api/threads", token: token).json()?["threads"] as? [[String: Any]])
            #expect(after.count == before.count)

            // A delete answers 204 and removes nothing; a message is acknowledged and never listed.
            #expect(try await sim.send("DELETE", "/api/threads/thread-1", token: token).status == 204)
            #expect(try await sim.get("/api/threads/thread-1", token: token).status == 200)
            let posted = try await sim.post("/api/chat/messages", token: token, body: #"{"content":"hello?","thread_id":"thread-1"}"#)
            #expect(posted.status == 200)
            let inThread = try #require(
                try await sim.get("/api/messages?thread_id=thread-1", token: token).json()?["messages"] as? [[String: Any]])
            #expect(!inThread.contains { $0["content"] as? String == "hello?" })

            let state = try #require(try await sim.get("/__sim/state").json())
            #expect(state["loses_writes"] as? Bool == true)
            #expect((state["faults"] as? [String: Any])?.isEmpty == true)
        }
    }
}
