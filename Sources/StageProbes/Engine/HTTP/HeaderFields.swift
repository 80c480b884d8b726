import StageModel

/// Header look-ups on a `HeaderList`. Field names are case-insensitive (RFC 9110), so every look-up is.
enum HeaderFields {
    /// The first value of `name`, if the list has it.
    static func value(of name: String, in headers: HeaderList) -> String? {
        headers.first { ASCIICase.equal($0.name, name) }?.value
    }

    /// Appends `name: value` unless the list already has `name`: a header the config sets wins over ours.
    static func addDefault(_ name: String, _ value: String, to headers: inout HeaderList) {
        if self.value(of: name, in: headers) == nil { headers.append((name: name, value: value)) }
    }
}
