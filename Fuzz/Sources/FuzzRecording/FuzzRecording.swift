import Foundation
import FuzzSupport
import StageModel
import StageReports

// The recording reader (`stagetop replay`, `report`): a .jsonl file of a header line and one line per event.
// A recording is a file anyone can hand over, so every line is untrusted.
//
// Beyond not crashing: an entry the reader accepted must write back to a line it accepts again (a replay
// re-recorded, or an agent's event feed built from the same codec), and the state at the end of the
// recording must build a snapshot, which is what replay shows first.

private let takenAt = Date(timeIntervalSince1970: 1_788_000_600)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecording(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let recording: Recording
    do {
        recording = try Recording.parse(Data(UnsafeBufferPointer(start: data, count: size)), name: "fuzz.jsonl")
    } catch {
        return 0
    }
    for entry in recording.entries {
        guard let line = RecordingCodec.encode(entry) else { continue }  // not kept in recordings: fine
        do { _ = try RecordingCodec.decode(line) } catch {
            preconditionFailure("re-encoded entry does not decode: \(error)\n\(line)")
        }
    }
    _ = recording.finalStore().snapshot(at: takenAt)
    return 0
}

@main enum Main {
    static func main() { runLibFuzzer(fuzzRecording) }
}
