#!/usr/bin/env python3
"""Records the first bytes real clients send to a listening socket, as fuzz seeds.

Each client in CLIENTS connects to a throwaway listener on 127.0.0.1 (ephemeral port); the
listener keeps what arrives until the client is quiet for 0.5 s (at most 8 KiB), then closes,
so the clients fail after sending. Writes one file per client into captures/.
Usage: python3 capture_clients.py
"""
import os
import socket
import subprocess
import sys
import threading

TOKEN = "fuzz-token-0123456789abcdef"
AUTH = ["-H", "Authorization: Bearer " + TOKEN]
JSON = ["-H", "Content-Type: application/json"]


def clients(port):
    base = f"http://127.0.0.1:{port}"
    return {
        "curl-get-flv.http": ["curl", "-s", f"{base}/live/demo.flv"],
        "curl-head-health.http": ["curl", "-s", "-I", f"{base}/health/ready"],
        "curl-get-metrics.http": ["curl", "-s", f"{base}/metrics"],
        "curl-list-rooms.http": ["curl", "-s", *AUTH, f"{base}/api/rooms"],
        "curl-create-room.http": ["curl", "-s", "-X", "POST", *AUTH, *JSON, "-d",
                                  '{"id":"keynote","title":"Opening keynote","app":"live","autoLive":false}',
                                  f"{base}/api/rooms"],
        "curl-patch-room.http": ["curl", "-s", "-X", "PATCH", *AUTH, *JSON, "-d",
                                 '{"title":"Workshop A","autoLive":true}', f"{base}/api/rooms/demo"],
        "curl-rotate-key.http": ["curl", "-s", "-X", "POST", *AUTH, *JSON, "-d",
                                 '{"streamName":"rotated-key-0123456789"}', f"{base}/api/rooms/demo/stream-name"],
        "curl-go-live.http": ["curl", "-s", "-X", "POST", *AUTH, f"{base}/api/rooms/demo/live"],
        "curl-kick-viewer.http": ["curl", "-s", "-X", "DELETE", *AUTH, f"{base}/api/rooms/demo/viewers/7"],
        "curl-chunked-post.http": ["curl", "-s", "-X", "POST", *AUTH, *JSON, "-H", "Transfer-Encoding: chunked",
                                   "-d", '{"id":"workshop-b","streamName":"wsb-0d9e8c7b6a5f4e3d"}', f"{base}/api/rooms"],
        "curl-dot-dot.http": ["curl", "-s", "--path-as-is", f"{base}/live/../api/rooms"],
        "curl-encoded-dot-dot.http": ["curl", "-s", "--path-as-is", f"{base}/live/%2e%2e/%2E%2E/demo.flv?x=1"],
        "ffprobe-5.1-flv.http": ["ffprobe", "-v", "quiet", f"{base}/live/demo.flv"],
        "curl-tls-client-hello.bin": ["curl", "-s", "-k", f"https://127.0.0.1:{port}/live"],
    }


def record(server, path, done):
    conn, _ = server.accept()
    conn.settimeout(0.5)
    data = b""
    try:
        while len(data) < 8192:
            got = conn.recv(8192)
            if not got:
                break
            data += got
    except socket.timeout:
        pass
    conn.close()
    with open(path, "wb") as f:
        f.write(data)
    done.append(len(data))


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "captures")
    os.makedirs(out, exist_ok=True)
    for name in sorted(clients(0)):
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        done = []
        t = threading.Thread(target=record, args=(server, os.path.join(out, name), done))
        t.start()
        subprocess.run(clients(port)[name], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=20)
        t.join(10)
        server.close()
        print(f"{name}: {done[0] if done else 'nothing'} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
