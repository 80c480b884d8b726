/// The buffer handoff the agent's renderers share (`Exposition` for `/metrics`, `JSONBytes` for the state
/// document): a render takes the cached buffer's storage, emptied with its capacity kept, and hands it back
/// when done, so a multi-megabyte response does not allocate and fault in a fresh buffer each time.
enum ReusedBytes {
    /// Takes `buffer`'s storage, leaving it empty; the result keeps its contents.
    static func take(_ buffer: inout [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        swap(&out, &buffer)
        return out
    }

    /// Takes `buffer`'s storage emptied, capacity kept: where a new render starts.
    static func reuse(_ buffer: inout [UInt8]) -> [UInt8] {
        var out = take(&buffer)
        out.removeAll(keepingCapacity: true)
        return out
    }
}
