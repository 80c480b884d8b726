import Foundation
import StageModel

/// Encodes the recording's `Codable` lines straight into JSON bytes, in one pass: what `JSONEncoder` with
/// snake_case keys and the recording's timestamps writes, minus its cost. Every result a recording, the
/// agent's event stream or its state document keeps went through `JSONEncoder` (a value tree, keys converted
/// on every call, a date closure): perf put it at 230 µs a result, more than the probe run itself.
///
/// Keys come out in declaration order rather than sorted (a dictionary's keys are sorted, so a line is
/// the same for the same value); `RecordingCodec.decoder` reads either. Keys are converted with
/// `JSONEncoder`'s own snake_case conversion, asked once per key name.
enum LineEncoder {
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        var buffer: [UInt8] = []
        let writer = Writer(out: JSONBytes(reusing: &buffer))
        try writer.value(value)
        return writer.out.release()
    }

    /// JSON has no NaN or infinity; `JSONEncoder` refuses them too.
    struct NonFinite: Error {}

    final class Writer {
        var out: JSONBytes
        init(out: JSONBytes) { self.out = out }

        func value<T: Encodable>(_ v: T) throws {
            // Leaves first: the common types never go through an `Encoder`.
            switch v {
            case let s as String: out.string(s)
            case let d as Date: out.date(d)
            case let i as Int: out.int(i)
            case let b as Bool: out.bool(b)
            case let d as Double: try double(d)
            case let m as [String: Int]:
                out.beginObject()
                for k in m.keys.sorted() { out.key(k); out.int(m[k]!) }
                out.endObject()
            default:
                let encoder = ValueEncoder(writer: self)
                try v.encode(to: encoder)
                encoder.close()
            }
        }

        func double(_ d: Double) throws {
            guard d.isFinite else { throw NonFinite() }
            out.double(d)
        }

        func key(_ k: any CodingKey) { out.key(LineEncoder.snakeCase(k.stringValue)) }
    }

    /// One value's encoder: it opens at most one object or array, closed when the value is done.
    final class ValueEncoder: Encoder {
        let writer: Writer
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]
        private enum Opened { case none, object, array, single }
        private var opened = Opened.none

        init(writer: Writer) { self.writer = writer }

        func close() {
            switch opened {
            case .object: writer.out.endObject()
            case .array: writer.out.endArray()
            case .single: break
            case .none: writer.out.beginObject(); writer.out.endObject()  // encoded nothing: `{}`, as JSONEncoder writes
            }
            opened = .none
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            if opened == .none { writer.out.beginObject(); opened = .object }
            return KeyedEncodingContainer(Keyed<Key>(writer: writer))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            if opened == .none { writer.out.beginArray(); opened = .array }
            return Unkeyed(writer: writer)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer {
            opened = .single
            return Single(writer: writer)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { writer.key(key); writer.out.null() }
        mutating func encode(_ value: Bool, forKey key: Key) throws { writer.key(key); writer.out.bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { writer.key(key); writer.out.string(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { writer.key(key); try writer.double(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { writer.key(key); writer.out.int(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { writer.key(key); try writer.value(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("LineEncoder: nested containers are not used by recording lines")
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            preconditionFailure("LineEncoder: nested containers are not used by recording lines")
        }
        mutating func superEncoder() -> any Encoder { preconditionFailure("LineEncoder: no super encoders") }
        mutating func superEncoder(forKey key: Key) -> any Encoder { preconditionFailure("LineEncoder: no super encoders") }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        private(set) var count = 0

        init(writer: Writer) { self.writer = writer }

        mutating func encodeNil() throws { writer.out.null(); count += 1 }
        mutating func encode<T: Encodable>(_ value: T) throws { try writer.value(value); count += 1 }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            preconditionFailure("LineEncoder: nested containers are not used by recording lines")
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            preconditionFailure("LineEncoder: nested containers are not used by recording lines")
        }
        mutating func superEncoder() -> any Encoder { preconditionFailure("LineEncoder: no super encoders") }
    }

    struct Single: SingleValueEncodingContainer {
        let writer: Writer
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { writer.out.null() }
        mutating func encode(_ value: Bool) throws { writer.out.bool(value) }
        mutating func encode(_ value: String) throws { writer.out.string(value) }
        mutating func encode(_ value: Double) throws { try writer.double(value) }
        mutating func encode(_ value: Int) throws { writer.out.int(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try writer.value(value) }
    }

    // MARK: - Keys

    private static let keys = Locked<[String: String]>([:])

    /// `JSONEncoder`'s snake_case for a key, asked of `JSONEncoder` itself once per key name.
    static func snakeCase(_ key: String) -> String {
        if let known = keys.withLock({ $0[key] }) { return known }
        let converted = foundationSnakeCase(key)
        keys.withLock { $0[key] = converted }
        return converted
    }

    private struct OneKey: Encodable {
        struct Name: CodingKey {
            var stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }
        let name: String
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Name.self)
            try c.encode(0, forKey: Name(stringValue: name))
        }
    }

    private static func foundationSnakeCase(_ key: String) -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? e.encode(OneKey(name: key)),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let converted = object.keys.first
        else { return key }
        return converted
    }
}
