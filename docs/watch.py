#!/usr/bin/env python3
"""Prints Tonearm's event stream as JSON lines, with nothing but Python's standard library.

    python3 docs/watch.py                                  # player, queue, transport
    python3 docs/watch.py 'topics=player,jobs' 127.0.0.1:7700

A minimal RFC 6455 client: one upgrade request, then one line per text message. It answers the
daemon's pings (or the daemon closes an idle client with 4001) and exits on a close frame.
"""
import base64
import os
import socket
import struct
import sys

query = sys.argv[1] if len(sys.argv) > 1 else "topics=player,queue,transport"
host, _, port = (sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1:7700").rpartition(":")

sock = socket.create_connection((host, int(port)))
key = base64.b64encode(os.urandom(16)).decode()
sock.sendall(
    (f"GET /ws?format=json&{query} HTTP/1.1\r\nHost: {host}:{port}\r\n"
     f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
     "Sec-WebSocket-Version: 13\r\n\r\n").encode())
stream = sock.makefile("rb")
status = stream.readline().decode().strip()
if " 101 " not in status + " ":
    sys.exit(f"upgrade refused: {status}\n{stream.read1(4096).decode(errors='replace')}")
while stream.readline() not in (b"\r\n", b""):
    pass  # the rest of the 101 response's headers


def send(opcode, payload=b""):
    """A client frame must be masked (RFC 6455 section 5.3); payloads here are under 126 bytes."""
    mask = os.urandom(4)
    body = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    sock.sendall(bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + body)


message = b""
while True:
    head = stream.read(2)
    if len(head) < 2:
        break
    fin, opcode, n = head[0] & 0x80, head[0] & 0x0F, head[1] & 0x7F
    if n == 126:
        n = struct.unpack(">H", stream.read(2))[0]
    elif n == 127:
        n = struct.unpack(">Q", stream.read(8))[0]
    payload = stream.read(n)
    if opcode == 0x9:  # ping
        send(0xA, payload)
    elif opcode == 0x8:  # close: code and reason
        code = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005
        print(f"closed {code} {payload[2:].decode(errors='replace')}", file=sys.stderr)
        send(0x8, payload[:2])
        break
    elif opcode in (0x0, 0x1, 0x2):
        message += payload
        if fin:
            print(message.decode(errors="replace"), flush=True)
            message = b""
