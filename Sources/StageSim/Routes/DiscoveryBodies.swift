/// `/api/discovery/services` and `/api/mcp/tools`: static catalogues. Report 004 counted 11 MCP tools.
enum DiscoveryBodies {
    static let services: JSON = [
        "services": [
            [
                "name": "netra-backend", "status": "healthy", "version": .string(HealthBodies.version),
                "url": "/api", "websocket": "/ws",
            ],
            ["name": "auth-service", "status": "healthy", "version": .string(HealthBodies.version), "url": "/auth"],
            [
                "name": "mcp-server", "status": "healthy", "version": .string(HealthBodies.version),
                "url": "/api/mcp", "tools": .int(toolCatalog.count),
            ],
        ]
    ]

    static let toolCatalog: [(name: String, description: String)] = [
        ("analyze_workload", "Summarise an AI workload's traffic, cost and latency"),
        ("optimize_prompt", "Suggest a cheaper prompt with the same intent"),
        ("estimate_cost", "Estimate monthly spend for a model and traffic profile"),
        ("compare_models", "Compare quality, latency and price of candidate models"),
        ("query_corpus", "Search the reference corpus for similar workloads"),
        ("generate_synthetic_data", "Generate synthetic requests for load tests"),
        ("get_supply_catalog", "List available models and their providers"),
        ("run_benchmark", "Run a latency benchmark against a model endpoint"),
        ("search_logs", "Search recent request logs"),
        ("summarize_thread", "Summarise a chat thread"),
        ("create_report", "Write an optimisation report for a thread"),
    ]

    static let tools: JSON = [
        "tools": .array(
            toolCatalog.map { tool in
                ["name": .string(tool.name), "description": .string(tool.description)]
            }),
        "count": .int(toolCatalog.count),
    ]
}
