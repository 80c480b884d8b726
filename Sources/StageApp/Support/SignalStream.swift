import Dispatch
import Foundation

/// Delivers the given signals as an async sequence instead of killing the process.
final class SignalStream {
    private var iterator: AsyncStream<Int32>.AsyncIterator
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        iterator = stream.makeAsyncIterator()
        sources = numbers.map { n in
            signal(n, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: n, queue: .global())
            s.setEventHandler { continuation.yield(n) }
            s.resume()
            return s
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    /// The next signal (nil never: the stream does not end).
    func next() async -> Int32? {
        await iterator.next()
    }
}
