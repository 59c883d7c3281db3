#!/usr/bin/env python3
"""Records what ffmpeg sends when publishing over RTMP, for ChunkDecoder replay tests.

Runs a minimal fake RTMP server on 127.0.0.1 (plain handshake; answers connect as nginx-rtmp does,
with Window Ack Size, Set Peer Bandwidth, Set Chunk Size 4096 and a canned AMF0 _result; canned
replies to createStream and publish; commands found by byte pattern), starts ffmpeg publishing to it and writes every
byte ffmpeg sent after the 3073-byte handshake (C0+C1+C2) to the output file.

usage: capture_ffmpeg_publish.py INPUT.flv SECONDS OUTPUT
"""
import socket, struct, subprocess, sys, threading

def amf_str(s):
    b = s.encode()
    return b'\x02' + struct.pack('>H', len(b)) + b

def amf_num(v):
    return b'\x00' + struct.pack('>d', v)

def amf_obj(pairs):
    out = b'\x03'
    for k, v in pairs:
        kb = k.encode()
        out += struct.pack('>H', len(kb)) + kb + amf_str(v)
    return out + b'\x00\x00\x09'

def message(csid, msid, type_id, payload):
    assert len(payload) <= 128
    return bytes([csid]) + b'\x00\x00\x00' + struct.pack('>I', len(payload))[1:] + bytes([type_id]) \
        + struct.pack('<I', msid) + payload

def txn_after(data, name):
    """Transaction id (AMF0 number) that follows command name `name` in `data`."""
    pattern = amf_str(name)
    i = data.find(pattern)
    if i < 0:
        return None
    j = i + len(pattern)
    if len(data) < j + 9:
        return None
    return struct.unpack('>d', data[j + 1:j + 9])[0]

def read_exactly(conn, n):
    buf = b''
    while len(buf) < n:
        part = conn.recv(n - len(buf))
        if not part:
            raise EOFError('client closed during handshake')
        buf += part
    return buf

def serve(server, out_path):
    conn, _ = server.accept()
    c0c1 = read_exactly(conn, 1537)
    conn.sendall(b'\x03' + bytes(1536) + c0c1[1:])
    read_exactly(conn, 1536)
    data = b''
    answered = set()
    while True:
        part = conn.recv(65536)
        if not part:
            break
        data += part
        for name in ('connect', 'createStream', 'publish'):
            if name in answered:
                continue
            txn = txn_after(data, name)
            if txn is None:
                continue
            answered.add(name)
            if name == 'connect':
                # as nginx-rtmp does: window ack size, peer bandwidth, chunk size, then the result
                conn.sendall(message(2, 0, 5, struct.pack('>I', 5000000)))
                conn.sendall(message(2, 0, 6, struct.pack('>I', 5000000) + b'\x02'))
                conn.sendall(message(2, 0, 1, struct.pack('>I', 4096)))
                body = amf_str('_result') + amf_num(txn) + b'\x05' + amf_obj(
                    [('level', 'status'), ('code', 'NetConnection.Connect.Success')])
                conn.sendall(message(3, 0, 20, body))
            elif name == 'createStream':
                conn.sendall(message(3, 0, 20, amf_str('_result') + amf_num(txn) + b'\x05' + amf_num(1)))
            else:
                body = amf_str('onStatus') + amf_num(0) + b'\x05' + amf_obj(
                    [('level', 'status'), ('code', 'NetStream.Publish.Start')])
                conn.sendall(message(5, 1, 20, body))
    conn.close()
    with open(out_path, 'wb') as f:
        f.write(data)

def main():
    src, seconds, out_path = sys.argv[1], sys.argv[2], sys.argv[3]
    server = socket.socket()
    server.bind(('127.0.0.1', 0))
    server.listen(1)
    port = server.getsockname()[1]
    t = threading.Thread(target=serve, args=(server, out_path))
    t.start()
    subprocess.run(['ffmpeg', '-hide_banner', '-loglevel', 'error', '-i', src, '-t', seconds, '-c', 'copy',
                    '-f', 'flv', 'rtmp://127.0.0.1:%d/live/replay-test' % port], check=True, timeout=60)
    t.join(60)

if __name__ == '__main__':
    main()
