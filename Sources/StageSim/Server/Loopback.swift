/// The simulator hands out tokens and fake credentials, so it only ever binds loopback.
enum Loopback {
    /// True for a dotted-quad IPv4 address in 127.0.0.0/8.
    static func isLoopback(_ host: String) -> Bool {
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        let values = octets.compactMap { octet -> Int? in
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isASCII), octet.allSatisfy(\.isNumber)
            else { return nil }
            return Int(octet)
        }
        return values.count == 4 && values.allSatisfy { (0...255).contains($0) } && values[0] == 127
    }
}
