# A one-connection-at-a-time wss:// server for GatusConditionCompatTests: TLS with the given certificate,
# the RFC 6455 handshake, then one text frame ("served over wss") and a close. Prints "PORT n" when listening.
import base64, hashlib, socket, ssl, sys

cert, key = sys.argv[1], sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(8)
print("PORT", listener.getsockname()[1], flush=True)
listener.settimeout(30)  # ends by itself when no test connects
while True:
    try:
        raw, _ = listener.accept()
    except socket.timeout:
        break
    try:
        conn = ctx.wrap_socket(raw, server_side=True)
        conn.settimeout(5)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(4096)
            if not chunk:
                break
            request += chunk
        key_line = [l for l in request.split(b"\r\n") if l.lower().startswith(b"sec-websocket-key:")]
        accept = base64.b64encode(hashlib.sha1(key_line[0].split(b":", 1)[1].strip() + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + accept + b"\r\n\r\n")
        text = b"served over wss"
        conn.sendall(bytes([0x81, len(text)]) + text + bytes([0x88, 2, 0x03, 0xE8]))
        conn.recv(64)
        conn.close()
    except Exception:
        raw.close()
