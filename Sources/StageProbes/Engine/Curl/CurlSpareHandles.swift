import CCurl
import StageModel

/// An easy handle between transfers, still configured for the last request it ran (`shape`), with the
/// header and resolve lists that configuration points at.
struct CurlSpare {
    var easy: UnsafeMutableRawPointer
    var headerList: UnsafeMutablePointer<curl_slist>? = nil
    var resolveList: UnsafeMutablePointer<curl_slist>? = nil
    /// The request it is configured for; nil when it must be reset before use (see `HTTPRequest.keepsShape`).
    var shape: HTTPRequest?

    /// Frees the lists; the handle is reset for any request (or cleaned up by the caller).
    func releaseLists() {
        if let headerList { curl_slist_free_all(headerList) }
        if let resolveList { curl_slist_free_all(resolveList) }
    }
}

/// The engine thread's spare handles. A probe's next run finds its handle configured already and sets only
/// the URL and this transfer's pointers: resetting a handle and setting its dozen options again cost
/// ~0.01 ms a run (libcurl alone, in C, at 1,000 runs a second: 0.044–0.047 ms a run with the URL
/// alone, 0.053–0.058 ms with stagetop's options), a tenth of what a whole run cost.
struct CurlSpareHandles {
    private var spares: [CurlSpare] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// A spare configured for `request`'s shape if there is one, else any spare (to be reset), else nil.
    mutating func take(for request: HTTPRequest) -> CurlSpare? {
        if request.keepsShape, let i = spares.lastIndex(where: { $0.shape.map(request.sameShape) ?? false }) {
            return spares.remove(at: i)
        }
        return spares.popLast()
    }

    mutating func put(_ spare: CurlSpare) {
        if spares.count >= limit {
            // The oldest goes: a config's shapes come round every interval, an old one is the least likely.
            let old = spares.removeFirst()
            old.releaseLists()
            curl_easy_cleanup(old.easy)
        }
        spares.append(spare)
    }

    mutating func removeAll() {
        for s in spares {
            s.releaseLists()
            curl_easy_cleanup(s.easy)
        }
        spares.removeAll()
    }
}

extension HTTPRequest {
    /// Whether a handle can stay configured for this request between transfers: not when it watches a
    /// stream (its body callback is a closure) or names a TLS server (its connect-to list follows the URL).
    var keepsShape: Bool { onBody == nil && tls.serverName == nil }

    /// Everything a handle is configured with but the URL (`CurlTransfer.makeHandle`).
    func sameShape(_ other: HTTPRequest) -> Bool {
        method == other.method && body == other.body && followRedirects == other.followRedirects
            && timeout == other.timeout && connectTimeout == other.connectTimeout && idleTimeout == other.idleTimeout
            && tls == other.tls && resolve == other.resolve && reuseConnection == other.reuseConnection
            && certificateInfo == other.certificateInfo && certificateExpiry == other.certificateExpiry
            && headers.count == other.headers.count
            && zip(headers, other.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
