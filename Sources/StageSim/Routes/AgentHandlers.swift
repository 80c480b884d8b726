import Hummingbird

/// `/api/agents/{status,start,stop,cancel}`: a small registry so start/stop show up in status.
enum AgentHandlers {
    enum Action {
        case start, stop, cancel

        var resultingStatus: String {
            switch self {
            case .start: return "started"
            case .stop: return "stopped"
            case .cancel: return "cancelled"
            }
        }
    }

    private struct AgentRequest: Decodable {
        var agentId: String?
        var agentType: String?
    }

    static func status(_ input: RouteInput, _ core: SimCore) -> Response {
        let agents = core.state.withLock { $0.data.agents }
        return SimResponses.json(
            200,
            [
                "agents": .array(
                    agents.map { ["agent_id": .string($0.id), "type": .string($0.type), "status": .string($0.status)] }
                ),
                "status": "ready",
            ])
    }

    static func control(_ input: RouteInput, _ core: SimCore, action: Action) -> Response {
        let request = input.decode(AgentRequest.self)
        let agent = core.state.withLock { state -> StagingData.Agent in
            switch action {
            case .start:
                let agent = StagingData.Agent(
                    id: request?.agentId ?? state.data.makeID("agent"),
                    type: request?.agentType ?? "supervisor_agent",
                    status: "running")
                state.data.agents.removeAll { $0.id == agent.id }
                state.data.agents.append(agent)
                return agent
            case .stop, .cancel:
                // Staging answered stop/cancel for any id; so does the simulator, updating known ones.
                let id = request?.agentId ?? state.data.agents.last?.id ?? "supervisor"
                if let index = state.data.agents.firstIndex(where: { $0.id == id }) {
                    state.data.agents[index].status = action == .stop ? "stopped" : "cancelled"
                    return state.data.agents[index]
                }
                return StagingData.Agent(id: id, type: request?.agentType ?? "unknown", status: "unknown")
            }
        }
        return SimResponses.json(
            200,
            ["status": .string(action.resultingStatus), "agent_id": .string(agent.id), "agent_type": .string(agent.type)])
    }
}
