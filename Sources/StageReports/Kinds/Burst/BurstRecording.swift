import StageModel

/// A burst's statuses in a recording: JSON object keys are strings, so `{"200": 38, "429": 12}`.
enum BurstRecording {
    static func encode(_ r: ProbeResult, into d: inout RecordingCodec.ResultDTO) {
        d.statuses = r.statuses.isEmpty ? nil : Dictionary(uniqueKeysWithValues: r.statuses.map { (String($0.key), $0.value) })
    }

    /// Keys that are not a number are dropped rather than failing the whole line.
    static func decode(_ d: RecordingCodec.ResultDTO, into r: inout ProbeResult) {
        var statuses: [Int: Int] = [:]
        for (k, v) in d.statuses ?? [:] { if let code = Int(k) { statuses[code] = v } }
        r.statuses = statuses
    }
}
