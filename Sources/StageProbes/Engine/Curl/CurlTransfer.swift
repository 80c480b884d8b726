import CCurl
import Foundation
import StageModel

/// One request in flight. Created on the caller's task; after `CurlEngine` queues it, only the engine
/// thread touches it (curl calls our callbacks on that thread), hence `@unchecked Sendable`.
final class CurlTransfer: @unchecked Sendable {
    /// Called once with the outcome: a task's continuation (`CurlEngine.perform`) or a caller's own
    /// callback (`CurlEngine.start`), on the engine thread or the submitting one.
    typealias Completion = @Sendable (Result<HTTPResponse, TransportFailure>) -> Void

    let id: UInt64
    let request: HTTPRequest
    /// Stream transfers only: times each body chunk and holds the watchdog (see `StreamTap`).
    let tap: StreamTap?
    private var completion: Completion?

    private(set) var easy: UnsafeMutableRawPointer?
    /// Every option took: only then may the handle stay configured for the next request of this shape.
    private var configured = false
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var resolveList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    /// curl writes error text here; it must outlive the transfer, so it is allocated, not a Swift array.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    // Filled by the callbacks.
    fileprivate var headers: HeaderList = []
    fileprivate var reasonPhrase = ""
    fileprivate var body: [UInt8] = []
    fileprivate var bodyBytes = 0
    /// The last response's header block ended (the blank line came).
    fileprivate var headersComplete = false
    fileprivate var sawStatusLine = false

    init(id: UInt64, request: HTTPRequest, tap: StreamTap? = nil, completion: @escaping Completion) {
        self.id = id
        self.request = request
        self.tap = tap
        self.completion = completion
        let size = Int(stc_error_size())
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
    }

    deinit {
        releaseHandle()
        errorBuffer.deallocate()
    }

    /// Delivers the outcome exactly once; later calls are ignored.
    func complete(_ result: Result<HTTPResponse, TransportFailure>) {
        guard let c = completion else { return }
        completion = nil
        c(result)
    }

    func releaseHandle() {
        guard let spare = detachSpare() else { return }
        spare.releaseLists()
        curl_easy_cleanup(spare.easy)
    }

    /// Hands the easy handle back with the lists its configuration points at, still configured for this
    /// request when it can stay so (`HTTPRequest.keepsShape`), for the engine's spares.
    func detachSpare() -> CurlSpare? {
        guard let h = easy else { return nil }
        // The last transfer's buffer goes with it; curl must not be left pointing at it.
        _ = stc_setopt_ptr(h, CURLOPT_ERRORBUFFER, nil)
        let spare = CurlSpare(easy: h, headerList: headerList, resolveList: resolveList,
                              shape: configured && tap == nil && connectToList == nil && request.keepsShape ? request : nil)
        easy = nil
        headerList = nil
        resolveList = nil
        if let connectToList { curl_slist_free_all(connectToList) }
        connectToList = nil
        return spare
    }

    // MARK: - Setup

    /// Configures an easy handle: a spare still configured for a request of this shape needs only the URL
    /// and this transfer's pointers; any other spare is reset and configured, as a new one is.
    /// On failure returns what to report instead of running.
    func makeHandle(reusing spare: CurlSpare? = nil) -> TransportFailure? {
        var rc = CURLE_OK
        // Keep the first failing option's code: later ones are not worth running with a half-set handle.
        func check(_ c: CURLcode) { if rc == CURLE_OK && c != CURLE_OK { rc = c } }
        if let spare, let shape = spare.shape, tap == nil, request.keepsShape, request.sameShape(shape) {
            easy = spare.easy
            headerList = spare.headerList
            resolveList = spare.resolveList
            check(stc_setopt_str(spare.easy, CURLOPT_URL, request.url))
            bindTransfer(spare.easy, check)
            configured = rc == CURLE_OK
            return configured ? nil : Self.optionFailure(rc)
        }
        if let spare {
            spare.releaseLists()
            curl_easy_reset(spare.easy)
        }
        guard let h = spare?.easy ?? curl_easy_init() else {
            return TransportFailure(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed", failureClass: .config)
        }
        easy = h
        let r = request

        // tls.server_name: the URL names server_name (so SNI, the certificate check and Host use it) and
        // --connect-to sends the connection to the host the config wrote.
        if let name = r.tls.serverName, var c = URLComponents(string: r.url), let host = c.host, host != name {
            let port = c.port ?? (c.scheme?.lowercased() == "https" ? 443 : 80)
            c.host = name
            connectToList = curl_slist_append(connectToList, "\(name):\(port):\(host.contains(":") ? "[\(host)]" : host):\(port)")
            check(stc_setopt_str(h, CURLOPT_URL, c.string ?? r.url))
            if let connectToList { check(stc_setopt_slist(h, CURLOPT_CONNECT_TO, connectToList)) }
        } else {
            check(stc_setopt_str(h, CURLOPT_URL, r.url))
        }
        // Signals cannot be used from a multi-threaded process; curl's threaded resolver does not need them.
        check(stc_setopt_long(h, CURLOPT_NOSIGNAL, 1))
        // Probes speak HTTP only: a `file://` base_url is a config error, not a local file read.
        check(stc_setopt_str(h, CURLOPT_PROTOCOLS_STR, "http,https"))
        check(stc_setopt_str(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        check(stc_setopt_str(h, CURLOPT_USERAGENT, "stagetop/0.1"))
        check(stc_setopt_long(h, CURLOPT_FOLLOWLOCATION, r.followRedirects ? 1 : 0))
        if r.followRedirects { check(stc_setopt_long(h, CURLOPT_MAXREDIRS, 10)) }
        if r.timeout > 0 { check(stc_setopt_long(h, CURLOPT_TIMEOUT_MS, Self.millis(r.timeout))) }
        if let ct = r.connectTimeout, ct > 0 { check(stc_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, Self.millis(ct))) }
        if let idle = r.idleTimeout, idle > 0 {
            // Less than 1 byte per second for `idle` seconds ends the transfer (a long-lived stream gone silent).
            check(stc_setopt_long(h, CURLOPT_LOW_SPEED_LIMIT, 1))
            check(stc_setopt_long(h, CURLOPT_LOW_SPEED_TIME, max(1, Int(idle.rounded(.up)))))
        }
        if !r.reuseConnection {
            check(stc_setopt_long(h, CURLOPT_FRESH_CONNECT, 1))
            check(stc_setopt_long(h, CURLOPT_FORBID_REUSE, 1))
        }
        if r.certificateExpiry || r.certificateInfo { check(stc_setopt_long(h, CURLOPT_CERTINFO, 1)) }
        if r.certificateExpiry { check(stc_setopt_long(h, CURLOPT_FRESH_CONNECT, 1)) }

        // TLS
        if let ca = r.tls.caFile { check(stc_setopt_str(h, CURLOPT_CAINFO, ca)) }
        if r.tls.insecure {
            check(stc_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0))
            check(stc_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0))
        }

        // --resolve
        for entry in r.resolve { resolveList = curl_slist_append(resolveList, entry) }
        if let resolveList { check(stc_setopt_slist(h, CURLOPT_RESOLVE, resolveList)) }

        // Method and body. COPYPOSTFIELDS makes curl own a copy, so the Swift array need not outlive this call.
        let method = r.method.uppercased()
        switch (method, r.body) {
        case ("GET", nil): check(stc_setopt_long(h, CURLOPT_HTTPGET, 1))
        case ("HEAD", _): check(stc_setopt_long(h, CURLOPT_NOBODY, 1))
        case (_, let body?):
            if method != "POST" { check(stc_setopt_str(h, CURLOPT_CUSTOMREQUEST, method)) }
            check(stc_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)))
            body.withUnsafeBufferPointer { buf in
                // An empty array may have a nil base; curl needs a valid pointer even for 0 bytes.
                let p = buf.baseAddress.map { UnsafeRawPointer($0) } ?? UnsafeRawPointer(errorBuffer)
                check(stc_setopt_ptr(h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: p)))
            }
        case ("POST", nil):
            check(stc_setopt_long(h, CURLOPT_POST, 1))
            check(stc_setopt_off(h, CURLOPT_POSTFIELDSIZE_LARGE, 0))
        case (_, nil):
            check(stc_setopt_str(h, CURLOPT_CUSTOMREQUEST, method))
        }

        // Headers, in the order given. "Name;" is curl's way of sending an empty value.
        var sawExpect = false
        for (name, value) in r.headers {
            if ASCIICase.equal(name, "Expect") { sawExpect = true }
            if ASCIICase.equal(name, "Accept-Encoding") {
                // curl sends this header itself and then decodes the body, so `[BODY]` conditions see the
                // JSON and not gzip bytes. The decoded body still goes through the body cap (a gzip bomb
                // costs time within the timeout, never memory).
                check(stc_setopt_str(h, CURLOPT_ACCEPT_ENCODING, value))
                continue
            }
            headerList = curl_slist_append(headerList, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // curl sends `Expect: 100-continue` for larger bodies and then waits up to a second for a server
        // that may never answer it; that second would be measured as the server's latency.
        if r.body != nil && !sawExpect { headerList = curl_slist_append(headerList, "Expect:") }
        if let headerList { check(stc_setopt_slist(h, CURLOPT_HTTPHEADER, headerList)) }

        // Callbacks: non-capturing C functions; the transfer arrives through the user-data pointer.
        check(stc_setopt_write_cb(h, CURLOPT_WRITEFUNCTION, { ptr, size, nmemb, user in
            let n = size * nmemb
            guard let ptr, let user else { return n }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            t.receiveBody(UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }))
        check(stc_setopt_write_cb(h, CURLOPT_HEADERFUNCTION, { ptr, size, nmemb, user in
            let n = size * nmemb
            guard let ptr, let user else { return n }
            let t = Unmanaged<CurlTransfer>.fromOpaque(user).takeUnretainedValue()
            t.receiveHeaderLine(UnsafeRawBufferPointer(start: ptr, count: n))
            return n
        }))
        bindTransfer(h, check)
        configured = rc == CURLE_OK

        return configured ? nil : Self.optionFailure(rc)
    }

    /// An option curl refused: the request as configured cannot run.
    private static func optionFailure(_ rc: CURLcode) -> TransportFailure {
        TransportFailure(code: Int(rc.rawValue), message: String(cString: curl_easy_strerror(rc)), failureClass: .config)
    }

    /// What belongs to this transfer and not to the handle's configuration: the error buffer and the
    /// callbacks' user data. The engine keeps the transfer alive while the handle runs it, so an unretained
    /// pointer is safe; a spare's callbacks, never called between transfers, point at the last one until
    /// the next binds them (its error buffer is unset when it is handed back, `detachSpare`).
    private func bindTransfer(_ h: UnsafeMutableRawPointer, _ check: (CURLcode) -> Void) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        check(stc_setopt_ptr(h, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer)))
        check(stc_setopt_ptr(h, CURLOPT_WRITEDATA, me))
        check(stc_setopt_ptr(h, CURLOPT_HEADERDATA, me))
    }

    private static func millis(_ seconds: Double) -> Int { max(1, Int((seconds * 1000).rounded())) }

    // MARK: - Callbacks (engine thread)

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        // Timestamped here, as the bytes arrive: this is the first *body* byte, not curl's header time.
        if let tap { tap.chunk(bytes, at: StreamTap.now(), contentType: { self.header("Content-Type") }) }
        request.onBody?(Array(bytes))
        bodyBytes += bytes.count
        let room = request.maxBodyBytes - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }

    private func header(_ name: String) -> String? { HeaderFields.value(of: name, in: headers) }

    fileprivate func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        // Parsed as bytes, strings made only for the name and value: one `String` per line and its trims
        // were a twentieth of a probe run's CPU (perf, 1,000 runs a second). CR/LF are stripped as bytes
        // (as a Swift String "\r\n" is one Character and would survive a character trim).
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if end == 0 { headersComplete = true; return }
        let line = UnsafeRawBufferPointer(rebasing: bytes[..<end])
        if end >= 5, line[0] == 0x48, line[1] == 0x54, line[2] == 0x54, line[3] == 0x50, line[4] == 0x2F {  // "HTTP/"
            // A new status line: an interim 1xx or a redirect hop ended. Keep only the last response's headers.
            headers.removeAll(keepingCapacity: true)
            headersComplete = false
            sawStatusLine = true
            let text = String(decoding: line, as: UTF8.self)
            let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            reasonPhrase = parts.count > 2 ? String(parts[2]) : ""
            return
        }
        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        func text(_ from: Int, _ to: Int) -> String {
            var a = from, b = to
            while a < b, isBlank(line[a]) { a += 1 }
            while b > a, isBlank(line[b - 1]) { b -= 1 }
            return String(decoding: UnsafeRawBufferPointer(rebasing: line[a..<b]), as: UTF8.self)
        }
        if isBlank(line[0]), !headers.isEmpty {
            // Obsolete line folding: continues the previous header's value.
            headers[headers.count - 1].value += " " + text(0, end)
            return
        }
        guard let colon = line.firstIndex(of: 0x3A) else { return }
        headers.append((name: text(0, colon), value: text(colon + 1, end)))
    }

    // MARK: - Result

    /// Reads the outcome off the handle once curl reports the transfer done.
    func result(for code: CURLcode) -> Result<HTTPResponse, TransportFailure> {
        guard let h = easy else {
            return .failure(TransportFailure(code: Int(code.rawValue), message: "no handle", failureClass: .config))
        }
        let timings = Self.timings(h)
        guard code == CURLE_OK else {
            var message = String(cString: errorBuffer)
            if message.isEmpty { message = String(cString: curl_easy_strerror(code)) }
            var osErrno = 0
            stc_getinfo_long(h, CURLINFO_OS_ERRNO, &osErrno)
            // A connection existed (curl knows the peer's address): whatever failed after that is the
            // server's or the network's, never the config's.
            let reachedServer = !(Self.string(h, CURLINFO_PRIMARY_IP) ?? "").isEmpty
            var failure = TransportFailure(code: Int(code.rawValue), message: message,
                                           failureClass: CurlErrorMapping.failureClass(code, reachedServer: reachedServer, message: message),
                                           osErrno: osErrno, timings: timings)
            var status = 0
            stc_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
            failure.status = status > 0 ? status : nil
            failure.headersComplete = headersComplete
            failure.bodyBytes = bodyBytes
            failure.responseStarted = sawStatusLine || timings.ttfb != nil
            failure.chunked = headers.contains { ASCIICase.equal($0.name, "Transfer-Encoding") && $0.value.lowercased().contains("chunked") }
            return .failure(failure)
        }
        var status = 0
        var version = 0
        var connects = 0
        stc_getinfo_long(h, CURLINFO_RESPONSE_CODE, &status)
        stc_getinfo_long(h, CURLINFO_HTTP_VERSION, &version)
        stc_getinfo_long(h, CURLINFO_NUM_CONNECTS, &connects)
        let capped = bodyBytes > body.count
        var response = HTTPResponse(
            status: status, headers: headers, body: body, bodyBytes: bodyBytes, truncated: capped,
            timings: timings, redirectURL: Self.string(h, CURLINFO_REDIRECT_URL),
            httpVersion: Self.versionText(version), effectiveURL: Self.string(h, CURLINFO_EFFECTIVE_URL) ?? request.url,
            newConnections: connects, reasonPhrase: reasonPhrase, remoteIP: Self.string(h, CURLINFO_PRIMARY_IP).flatMap { $0.isEmpty ? nil : $0 })
        if request.certificateExpiry || request.certificateInfo { response.certificateNotAfter = Self.certificateNotAfter(h) }
        return .success(response)
    }

    /// The leaf certificate's notAfter from curl's certificate info ("Expire date:Jan  1 00:00:00 2027 GMT",
    /// OpenSSL's ASN1_TIME_print form); nil without TLS or info.
    static func certificateNotAfter(_ h: UnsafeMutableRawPointer) -> Date? {
        var p: UnsafeMutableRawPointer?
        guard stc_getinfo_ptr(h, CURLINFO_CERTINFO, &p) == CURLE_OK, let p else { return nil }
        let info = p.assumingMemoryBound(to: curl_certinfo.self).pointee
        guard info.num_of_certs > 0, let chain = info.certinfo else { return nil }
        var item = chain[0]
        while let node = item {
            if let data = node.pointee.data {
                let line = String(cString: data)
                if line.hasPrefix("Expire date:") { return parseCertificateDate(String(line.dropFirst("Expire date:".count))) }
            }
            item = node.pointee.next
        }
        return nil
    }

    /// "Jan  1 00:00:00 2027 GMT" (OpenSSL's form) or "2027-01-01 00:00:00 GMT" (some other TLS backends').
    static func parseCertificateDate(_ text: String) -> Date? {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var parts = tm()
        let clock: [Int]
        if words.count == 5, words[4] == "GMT", let m = months.firstIndex(of: words[0]), let d = Int(words[1]), let y = Int(words[3]) {
            parts.tm_year = Int32(y - 1900); parts.tm_mon = Int32(m); parts.tm_mday = Int32(d)
            clock = words[2].split(separator: ":").compactMap { Int($0) }
        } else if words.count == 3, words[2] == "GMT" {
            let ymd = words[0].split(separator: "-").compactMap { Int($0) }
            guard ymd.count == 3 else { return nil }
            parts.tm_year = Int32(ymd[0] - 1900); parts.tm_mon = Int32(ymd[1] - 1); parts.tm_mday = Int32(ymd[2])
            clock = words[1].split(separator: ":").compactMap { Int($0) }
        } else {
            return nil
        }
        guard clock.count == 3 else { return nil }
        parts.tm_hour = Int32(clock[0]); parts.tm_min = Int32(clock[1]); parts.tm_sec = Int32(clock[2])
        return Date(timeIntervalSince1970: Double(timegm(&parts)))
    }

    /// Phases as curl measures them (SPEC timings_ms): each phase its own span, ttfb and total from the start.
    static func timings(_ h: UnsafeMutableRawPointer) -> Timings {
        func us(_ info: CURLINFO) -> Double {
            var v: curl_off_t = 0
            stc_getinfo_off(h, info, &v)
            return Double(v) / 1000
        }
        let dns = us(CURLINFO_NAMELOOKUP_TIME_T)
        let connect = us(CURLINFO_CONNECT_TIME_T)
        let app = us(CURLINFO_APPCONNECT_TIME_T)
        // On a reused connection curl reports connect (and appconnect) as 0; a phase never goes negative.
        return Timings(dns: dns,
                       connect: max(0, connect - dns),
                       tls: app > 0 ? max(0, app - connect) : 0,
                       ttfb: Self.observed(us(CURLINFO_STARTTRANSFER_TIME_T)),
                       total: us(CURLINFO_TOTAL_TIME_T))
    }

    /// curl reports 0 for a phase that never happened (STARTTRANSFER before any byte arrived).
    static func observed(_ ms: Double) -> Double? { ms > 0 ? ms : nil }

    private static func string(_ h: UnsafeMutableRawPointer, _ info: CURLINFO) -> String? {
        var p: UnsafeMutablePointer<CChar>?
        guard stc_getinfo_str(h, info, &p) == CURLE_OK, let p else { return nil }
        return String(cString: p)
    }

    private static func versionText(_ v: Int) -> String {
        switch v {
        case CURL_HTTP_VERSION_1_0: "1.0"
        case CURL_HTTP_VERSION_2_0: "2"
        case CURL_HTTP_VERSION_3: "3"
        default: "1.1"
        }
    }
}
