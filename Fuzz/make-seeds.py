#!/usr/bin/env python3
"""Writes the seed corpora under Fuzz/Corpus/<target>/ from what the repository already has.

    Fuzz/make-seeds.py [path/to/stagetop]

- FuzzConfig: examples/*.yaml and the YAML configs embedded in Tests/ (multi-line and one-line strings).
- FuzzConditions: every condition in examples/*.yaml and Tests/ (the strings that start with a placeholder).
- FuzzSSE: the SSE texts of StreamEventParserTests and the sim's stream shapes, each as a body without cuts
  and with a few (the target's first byte is the number of cuts, see FuzzSSE.swift).
- FuzzRecording: small recordings made of RecordingTests-like lines; with a stagetop binary, also the lines
  of a real `check --sim --record` run, one seed per line type, each behind the run's header.
- FuzzWebSocketMatch: the JSON messages of WebSocketUnitTests and the sim's shapes (StageSim/WebSocket).

Seeds are named by content hash, so running it again adds nothing twice. Committed seeds stay small:
libFuzzer's default -max_len follows the largest seed, and a huge one slows every run.
"""
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
MAX_SEED = 8 * 1024


def write(target, data, ext):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_SEED:
        return
    d = os.path.join(FUZZ, "Corpus", target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest()[:12] + ext)
    with open(path, "wb") as f:
        f.write(data)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def swift_sources():
    return sorted(glob.glob(os.path.join(ROOT, "Tests", "**", "*.swift"), recursive=True))


def unescape(s):
    """A Swift string literal's body (no interpolation) as text."""
    return re.sub(r'\\(u\{[0-9a-fA-F]+\}|.)', lambda m: {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(
        m.group(1), chr(int(m.group(1)[2:-1], 16)) if m.group(1).startswith("u{") else m.group(1)), s)


def multiline_strings(text):
    """Swift \"\"\" blocks, with the closing delimiter's indentation removed from each line."""
    for m in re.finditer(r'"""\n(.*?)\n([ \t]*)"""', text, re.S):
        body, indent = m.group(1), m.group(2)
        if "\\(" in body:
            continue
        yield unescape("\n".join(line[len(indent):] if line.startswith(indent) else line.lstrip() for line in body.split("\n")) + "\n")


def plain_strings(text):
    """One-line Swift literals: "…" and #"…"# (raw, no escapes)."""
    for m in re.finditer(r'#"((?:[^"\n]|"(?!#))*)"#', text):
        yield m.group(1)
    for m in re.finditer(r'(?<![#\\])"((?:[^"\\\n]|\\.)*)"', text):
        if "\\(" not in m.group(1):
            yield unescape(m.group(1))


def configs():
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*.yaml"))):
        write("FuzzConfig", read(path), ".yaml")
    for path in swift_sources():
        text = read(path)
        for s in list(multiline_strings(text)) + list(plain_strings(text)):
            if re.search(r"^(probes|target|alerts):", s, re.M):
                write("FuzzConfig", s, ".yaml")


CONDITION = re.compile(r"^(len\(|has\()?\[[A-Z_]+\]")


def conditions():
    found = set()
    for path in glob.glob(os.path.join(ROOT, "examples", "*.yaml")):
        found.update(re.findall(r'"((?:len\(|has\()?\[[A-Z_]+\][^"]*)"', read(path)))
    for path in swift_sources():
        found.update(s for s in plain_strings(read(path)) if CONDITION.match(s))
    for c in found:
        write("FuzzConditions", c, ".txt")


def sse():
    bodies = []
    text = read(os.path.join(ROOT, "Tests", "StageProbesTests", "StreamEventParserTests.swift"))
    bodies += [s for s in plain_strings(text) if "event:" in s or "data:" in s]
    # The sim's shapes (StageSim/Streams/StreamScripts.swift): id, event, JSON data, and the closing `done`.
    events = ["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed"]
    sim = "".join(f'id: {i + 1}\nevent: {e}\ndata: {{"seq":{i + 1},"run_id":"run_1"}}\n\n' for i, e in enumerate(events))
    bodies += [sim + 'event: done\ndata: {"run_id":"run_1","events":5}\n\n', ": keep-alive\r\n\r\ndata: a\r\ndata: b\r\n\r\n"]
    for body in bodies:
        b = body.encode()
        write("FuzzSSE", b"\x00" + b, ".sse")
        # Three cuts: inside the first field name, just after a CR or LF, and further on.
        write("FuzzSSE", bytes([3, 3, max(1, b.find(b"\n") - 2), 17]) + b, ".sse")


HEADER = {"type": "header", "version": 1, "config": "netra-staging", "target": "api.staging.example.com",
          "insecure": False, "at": "2026-08-29T10:40:00.000Z", "probes": [
              {"name": "backend_health", "group": "health", "kind": "http", "target": "GET /health", "enabled": True},
              {"name": "websocket_connection", "group": "ws", "kind": "websocket", "target": "WS /ws", "enabled": True},
              {"name": "chat_stream", "group": "streams", "kind": "stream", "target": "POST /api/chat/stream (stream)", "enabled": True}]}


def line(obj):
    return json.dumps(obj, separators=(",", ":"), sort_keys=True)


def recordings(stagetop):
    header = line(HEADER)
    result = {"probe": "backend_health", "kind": "http", "verdict": "fail", "failure_class": "redirect",
              "message": "307 Temporary Redirect → /health/", "status": 307, "latency_ms": 81.2, "events": [],
              "conditions": [{"expr": "[STATUS] == 200", "ok": False, "actual": "307"}],
              "started_at": "2026-08-29T10:40:00.900Z", "finished_at": "2026-08-29T10:40:01.000Z"}
    lines = [
        line({"type": "result", "at": "2026-08-29T10:40:01.000Z", "result": result}),
        line({"type": "close", "at": "2026-08-29T10:40:01.500Z",
              "close": {"probe": "websocket_connection", "code": 1011, "reason": "Internal error", "by_server": True}}),
        line({"type": "cycle", "at": "2026-08-29T10:40:03Z", "number": 1}),
        line({"type": "note", "at": "2026-08-29T10:40:04.000Z", "message": "config reloaded"}),
        line({"type": "login", "at": "2026-08-29T10:40:05.000Z", "login": {"phase": "ok", "message": "token renewed", "status": 200}}),
    ]
    write("FuzzRecording", header + "\n" + "\n".join(lines) + "\n", ".jsonl")
    write("FuzzRecording", header + "\n" + lines[0] + "\n" + lines[1][:40], ".jsonl")  # a torn last line
    if not stagetop:
        return
    with tempfile.TemporaryDirectory() as tmp:
        for config, scenario in [("staging.yaml", "healthy"), ("staging-p1.yaml", "ws-403-routes-404")]:
            rec = os.path.join(tmp, scenario + ".jsonl")
            subprocess.run([stagetop, "check", os.path.join(ROOT, "examples", config), "--sim", "--scenario", scenario,
                            "--record", rec], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
            if not os.path.exists(rec):
                continue
            recorded = read(rec).splitlines()
            by_kind = {}
            for l in recorded[1:]:
                obj = json.loads(l)
                key = (obj["type"], obj.get("result", {}).get("kind"), obj.get("result", {}).get("verdict"))
                by_kind.setdefault(key, l)
            for l in by_kind.values():
                write("FuzzRecording", recorded[0] + "\n" + l + "\n", ".jsonl")


def websocket_messages():
    msgs = set()
    for name in ["WebSocketUnitTests.swift", "WebSocketProbeRunnerTests.swift", "WebSocketHoldTests.swift"]:
        path = os.path.join(ROOT, "Tests", "StageProbesTests", name)
        if os.path.exists(path):
            msgs.update(s for s in plain_strings(read(path)) if s.startswith("{") and s.endswith("}"))
    # The sim's shapes (StageSim/WebSocket/WebSocketMessages.swift).
    welcome = '{"type":"system_message","data":{"event":"connection_established","connection_id":"ws_staging-_1757362867_61a02cfa","user_id":"staging-user","server_time":"2026-08-29T10:40:00.000Z"}}'
    legacy = '{"type":"connection_established","connection_id":"ws_1","user_id":"u3"}'
    refusal = '{"type":"error_message","error_code":"AUTH_REQUIRED","error_message":"Authentication failed: Valid JWT token required for WebSocket connection","details":{"environment":"staging","error":"expired"}}'
    chat = [f'{{"type":"{e}","data":{{"run_id":"run_1","seq":{i}}}}}' for i, e in
            enumerate(["agent_started", "agent_thinking", "tool_executing", "tool_completed", "agent_completed", "agent_response"])]
    msgs.update([welcome, legacy, refusal, '{"type":"pong","timestamp":"2026-08-29T10:40:00.000Z"}'] + chat)
    for m in msgs:
        write("FuzzWebSocketMatch", m + "\n", ".txt")
    # Whole conversations, one with its own pattern line first.
    write("FuzzWebSocketMatch", "\n".join([welcome] + chat) + "\n", ".txt")
    write("FuzzWebSocketMatch", "\n".join(['{"type":"agent_completed","data.seq":4}', legacy, "not json", refusal] + chat) + "\n", ".txt")


def main():
    stagetop = sys.argv[1] if len(sys.argv) > 1 else None
    configs()
    conditions()
    sse()
    recordings(stagetop)
    websocket_messages()
    for target in sorted(os.listdir(os.path.join(FUZZ, "Corpus"))):
        files = glob.glob(os.path.join(FUZZ, "Corpus", target, "*"))
        print(f"{target}: {len(files)} seeds, {sum(os.path.getsize(f) for f in files)} bytes")


if __name__ == "__main__":
    main()
