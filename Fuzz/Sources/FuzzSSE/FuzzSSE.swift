import FuzzSupport
import StageProbes

// The server-sent-events parser the stream probes count events with. The body arrives in chunks cut
// wherever the network cut it, so the cut points are fuzzed too: the input's first byte says how many cuts
// (up to 15), the next bytes where (each a step of 0-255 bytes), the rest is the body.
//
// The parser promises the same events however the body is split (StreamEventParserTests "split anywhere");
// fed whole and fed in chunks, the names must agree, or this traps and libFuzzer keeps the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSSE(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let first = input.first else { return 0 }
    let cutCount = min(Int(first & 0x0F), size - 1)
    let steps = input[1..<(1 + cutCount)]
    let body = Array(input[(1 + cutCount)...])

    var whole = StreamEventParser()
    let expected = whole.feed(body)

    var chunked = StreamEventParser()
    var got: [String] = []
    var start = 0
    for step in steps {
        let end = min(body.count, start + Int(step))
        got += chunked.feed(Array(body[start..<end]))
        start = end
    }
    got += chunked.feed(Array(body[start...]))
    precondition(got == expected, "chunked \(got) != whole \(expected) at cuts \(Array(steps))")
    return 0
}

@main enum Main {
    static func main() { runLibFuzzer(fuzzSSE) }
}
