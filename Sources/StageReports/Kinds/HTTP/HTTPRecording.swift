import StageModel

/// The response of an HTTP exchange in a recording: status, headers and the body's size, never the body,
/// and no header that carries a secret (`RequestRepro.isSecretHeader`). A stream's response and a refused
/// WebSocket handshake are recorded the same way.
enum HTTPRecording {
    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        d.responseStatus = r.response?.status
        d.responseHeaders = r.response?.headers.filter { !RequestRepro.isSecretHeader($0.name) }.map { [$0.name, $0.value] }
        d.responseBytes = r.response?.bodyBytes
    }

    /// The body was not recorded: a replayed response has none, and is marked truncated when it had one.
    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        r.response = d.responseStatus.map { status in
            ResponseCapture(status: status, headers: (d.responseHeaders ?? []).compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
                            body: [], bodyBytes: d.responseBytes ?? 0, truncated: (d.responseBytes ?? 0) > 0)
        }
    }
}
