import Foundation
import StageModel
import StageProbes

/// Reads an OpenAPI document from a file or over HTTP(S). URLs go through the probes' own libcurl engine,
/// not Foundation's URLSession: the request then honours the target's `tls` (a staging's own CA,
/// `insecure`, `server_name`), `resolve` pins and headers exactly as the probes do, so a document behind
/// the same gateway is reachable whenever the probes are, and URLSession's Linux quirks stay out.
enum OpenAPIFetch {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The largest document read (FastAPI documents of large services run to a few MB).
    static let maxBytes = 32 << 20

    static func isURL(_ s: String) -> Bool {
        let lower = s.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// The document's text: from the file, or from the URL with `target`'s TLS, pins and headers.
    static func text(_ location: String, isURL: Bool, target: TargetConfig? = nil, timeout: Double = 10) async -> Result<String, Failure> {
        guard isURL else {
            do { return .success(try String(contentsOfFile: location, encoding: .utf8)) } catch {
                return .failure(Failure(description: "cannot read \(location): \(error.localizedDescription)"))
            }
        }
        var headers: HeaderList = target?.headers ?? []
        headers.append(("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1"))
        let request = HTTPRequest(
            url: location, headers: headers, followRedirects: true, timeout: timeout, maxBodyBytes: maxBytes,
            tls: target?.tls ?? TLSSettings(), resolve: target?.resolve ?? [], reuseConnection: false)
        let engine = CurlEngine()
        defer { engine.shutdown() }
        switch await engine.perform(request) {
        case .success(let r) where (200..<300).contains(r.status):
            guard !r.truncated else { return .failure(Failure(description: "\(location) is larger than \(maxBytes >> 20) MB")) }
            return .success(String(decoding: r.body, as: UTF8.self))
        case .success(let r):
            let reason = r.reasonPhrase.isEmpty ? "" : " \(r.reasonPhrase)"
            return .failure(Failure(description: "\(location) answered \(r.status)\(reason)"))
        case .failure(let f):
            return .failure(Failure(description: "cannot fetch \(location): \(f.summary)"))
        }
    }
}
