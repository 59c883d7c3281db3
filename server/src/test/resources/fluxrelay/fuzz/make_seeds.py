#!/usr/bin/env python3
"""Cuts the fuzz seed corpora from real captures in the test resources; writes <Class>Inputs/<method>/.

Sources (see the README beside each): handshake/*.bin (ffmpeg 5.1 and rtmpdump C0+C1),
rtmp-chunk/ffmpeg-publish-720p-2s.chunks (ffmpeg 5.1 publishing), media/*.flv (ffmpeg 5.1 / 7.1.1
stream copies), and captures/ here (curl 7.88, ffprobe 5.1 requests; capture_clients.py).
Every seed stays under 4 KiB, the longest input the fuzzer generates by default.
AMF3 seeds are not made here (no real client sends AMF3): Amf3FuzzTest's README line says how.
Usage: python3 make_seeds.py   (from anywhere; replaces the seeds, keeps stored findings)
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.normpath(os.path.join(HERE, "..", ".."))
LIMIT = 4096


def res(*parts):
    with open(os.path.join(RES, *parts), "rb") as f:
        return f.read()


def capture(name):
    with open(os.path.join(HERE, "captures", name), "rb") as f:
        return f.read()


def write(target, seeds):
    cls, method = target.split("#")
    d = os.path.join(HERE, cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    for old in os.listdir(d):  # findings (crash-*, timeout-*, oom-*) stay: they are regression inputs
        if not old.startswith(("crash-", "timeout-", "oom-")):
            os.remove(os.path.join(d, old))
    for name, data in seeds.items():
        assert len(data) <= LIMIT, (target, name, len(data))
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


# ---- FLV (FLV spec E.2, E.4) ----
def flv_tags(data):
    tags, pos = [], 13
    while pos + 11 <= len(data):
        ttype, size = data[pos] & 0x1F, int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | data[pos + 7] << 24
        body = data[pos + 11:pos + 11 + size]
        if len(body) < size:
            break
        tags.append((ttype, ts, body))
        pos += 11 + size + 4
    return tags


def flv_tag(ttype, ts, body):
    return (bytes([ttype]) + len(body).to_bytes(3, "big") + (ts & 0xFFFFFF).to_bytes(3, "big")
            + bytes([ts >> 24 & 0xFF]) + b"\0\0\0" + body + struct.pack(">I", 11 + len(body)))


# ---- RTMP chunk stream (RTMP spec 5.3) ----
def dechunk(data):
    """Whole messages (csid, type, ts, msid, payload) of a chunk stream that starts at a message."""
    streams, out, chunk, pos = {}, [], 128, 0
    while pos < len(data):
        b0 = data[pos]; fmt, csid = b0 >> 6, b0 & 0x3F; pos += 1
        if csid == 0:
            csid = 64 + data[pos]; pos += 1
        elif csid == 1:
            csid = 64 + data[pos] + (data[pos + 1] << 8); pos += 2
        s = streams.setdefault(csid, {"ts": 0, "len": 0, "type": 0, "msid": 0, "buf": b"", "ext": False})
        if fmt <= 2:
            field = int.from_bytes(data[pos:pos + 3], "big")
            if fmt <= 1:
                s["len"], s["type"] = int.from_bytes(data[pos + 3:pos + 6], "big"), data[pos + 6]
            if fmt == 0:
                s["msid"] = int.from_bytes(data[pos + 7:pos + 11], "little")
            pos += (11, 7, 3)[fmt]
            s["ext"] = field == 0xFFFFFF
            if s["ext"]:
                field = int.from_bytes(data[pos:pos + 4], "big"); pos += 4
            s["ts"] = field if fmt == 0 else s["ts"] + field
        elif s["ext"]:
            pos += 4
        n = min(chunk, s["len"] - len(s["buf"]))
        if pos + n > len(data):
            break
        s["buf"] += data[pos:pos + n]; pos += n
        if len(s["buf"]) == s["len"]:
            out.append((csid, s["type"], s["ts"], s["msid"], s["buf"]))
            if s["type"] == 1:
                chunk = struct.unpack(">I", s["buf"][:4])[0] & 0x7FFFFFFF
            s["buf"] = b""
    return out


def chunk(csid, type_id, ts, msid, payload, size, fmt=0, delta=0):
    """One message as chunks: a fmt 0/1/2 first header, fmt 3 continuations; extended timestamp when needed."""
    field = ts if fmt == 0 else delta
    ext = field >= 0xFFFFFF
    head3 = (0xFFFFFF if ext else field).to_bytes(3, "big")
    extb = struct.pack(">I", field) if ext else b""
    if fmt == 0:
        header = bytes([csid]) + head3 + len(payload).to_bytes(3, "big") + bytes([type_id]) + struct.pack("<I", msid)
    elif fmt == 1:
        header = bytes([0x40 | csid]) + head3 + len(payload).to_bytes(3, "big") + bytes([type_id])
    else:
        header = bytes([0x80 | csid]) + head3
    out, first = header + extb, True
    for i in range(0, max(len(payload), 1), size):
        if not first:
            out += bytes([0xC0 | csid]) + extb
        out += payload[i:i + size]
        first = False
    return out


def set_chunk_size(n):
    return chunk(2, 1, 0, 0, struct.pack(">I", n), 128)


def main():
    publish = res("rtmp-chunk", "ffmpeg-publish-720p-2s.chunks")
    messages = dechunk(publish)
    commands = [m for m in messages if m[1] in (18, 20)]
    media = {name: flv_tags(res("media", name)) for name in sorted(os.listdir(os.path.join(RES, "media")))
             if name.endswith(".flv")}
    ffmpeg_c0c1, rtmpdump_c0c1 = res("handshake", "ffmpeg-5.1-c0c1.bin"), res("handshake", "rtmpdump-2.4-c0c1.bin")

    # Handshake: real C0+C1, a C2 (the client's own C1 bytes: ours is random, so any C2 is as good), then real chunks.
    write("HandshakeFuzzTest#serverHandshake", {
        "ffmpeg-5.1-digest-then-connect": ffmpeg_c0c1 + ffmpeg_c0c1[1:] + publish[:LIMIT - 3073],
        "rtmpdump-2.4-plain-then-connect": rtmpdump_c0c1 + bytes(1536) + publish[:600],
        "ffmpeg-5.1-c0c1-only": ffmpeg_c0c1,
        "rtmpe-c0-ffmpeg-c1": b"\x06" + ffmpeg_c0c1[1:],
        "curl-7.88-http-get": capture("curl-get-flv.http"),
        "curl-7.88-tls-client-hello": capture("curl-tls-client-hello.bin"),
    })

    # Chunk streams: ffmpeg's own bytes, and real messages re-chunked to reach other header forms.
    by_type = lambda t: [m for m in messages if m[1] == t]
    audio, video = by_type(8), by_type(9)
    recut = set_chunk_size(4096)
    for i, (csid, t, ts, msid, payload) in enumerate(commands[:6]):
        recut += chunk(csid, t, ts, msid, payload, 4096)
    recut += chunk(6, 9, 0, 1, video[0][4], 4096)                      # AVC sequence header
    prev = None
    for m in audio[:8]:                                                # fmt 0, then 1 or 2 (same length)
        fmt = 0 if prev is None else 2 if len(m[4]) == len(prev[4]) else 1
        recut += chunk(4, 8, m[2], 1, m[4], 4096, fmt=fmt, delta=m[2] - (prev[2] if prev else 0))
        prev = m
    interleaved = b""
    a = chunk(4, 8, 0x1000000, 1, audio[1][4][:300], 128)              # extended timestamp, repeated on fmt 3
    v = chunk(6, 9, 0x1000000, 1, video[1][4][:300], 128)
    pieces_a = [a[:16 + 128]] + [a[16 + 128 + i:16 + 128 + i + 133] for i in range(0, len(a) - 144, 133)]
    pieces_v = [v[:16 + 128]] + [v[16 + 128 + i:16 + 128 + i + 133] for i in range(0, len(v) - 144, 133)]
    for pa, pv in zip(pieces_a, pieces_v):
        interleaved += pa + pv
    abort = chunk(2, 5, 0, 0, struct.pack(">I", 2500000), 128) + chunk(2, 2, 0, 0, struct.pack(">I", 4), 128)
    audio_only = media["audio-only-3s.flv"][:8]
    aggregate = b"".join(flv_tag(t, ts, body) for t, ts, body in audio_only)
    chunk_seeds = {
        "ffmpeg-5.1-publish-head": publish[:LIMIT],
        "ffmpeg-5.1-publish-recut-4096": recut[:LIMIT],
        "ffmpeg-5.1-media-extended-timestamps-interleaved": interleaved,
        "window-ack-and-abort-then-publish": abort + publish[:2000],
        "aggregate-of-audio-only-tags": set_chunk_size(4096) + chunk(4, 22, 40, 1, aggregate, 4096),
    }
    write("ChunkStreamFuzzTest#inboundMessages", chunk_seeds)
    write("RtmpSessionFuzzTest#publishSession", chunk_seeds)

    # AMF0: every command and data message body ffmpeg sent, and the onMetaData of each clip.
    amf0 = {}
    for i, (_, t, _, _, payload) in enumerate(commands):
        name = payload[3:3 + struct.unpack(">H", payload[1:3])[0]].decode()
        amf0[f"ffmpeg-5.1-{i:02d}-{name.strip('@')}"] = payload[:LIMIT]
    for name, tags in media.items():
        amf0["metadata-" + name[:-4]] = next(body for t, _, body in tags if t == 18)[:LIMIT]
    write("Amf0FuzzTest#readAmf0", amf0)

    # FLV tag bodies: type byte, then the body; the first tags of each clip and its last one.
    flv = {}
    for name, tags in media.items():
        clip = name[:-4]
        kinds = {}
        for t, ts, body in tags[:12] + tags[-1:]:
            kind = {8: "audio", 9: "video", 18: "script"}[t]
            n = kinds.get(kind, 0)
            kinds[kind] = n + 1
            if n < 3:
                flv[f"{clip}-{kind}-{n}"] = bytes([t]) + body[:1200 if len(body) > LIMIT - 1 else LIMIT - 1]
        flv[f"{clip}-last"] = bytes([tags[-1][0]]) + tags[-1][2][:1200]
    write("FlvTagFuzzTest#demuxTag", flv)

    # Codec configuration records, SPS NAL units and AudioSpecificConfigs from the clips' sequence headers.
    avc_records, hevc_records, ascs, avc_sps, hevc_sps = {}, {}, {}, {}, {}
    for name, tags in media.items():
        clip = name[:-4]
        for t, _, body in tags[:12]:
            if t == 9 and body[0] & 0x0F == 7 and body[1] == 0:
                rec = body[5:]
                avc_records[clip] = rec
                n = struct.unpack(">H", rec[6:8])[0]
                avc_sps[clip] = rec[8:8 + n]
            elif t == 9 and body[0] & 0x80 and body[0] & 0x0F == 0 and body[1:5] == b"hvc1":
                rec = body[5:]
                hevc_records[clip] = rec
                pos, arrays = 23, rec[22]
                for _ in range(arrays):
                    nal_type, count = rec[pos] & 0x3F, struct.unpack(">H", rec[pos + 1:pos + 3])[0]
                    pos += 3
                    for _ in range(count):
                        n = struct.unpack(">H", rec[pos:pos + 2])[0]
                        if nal_type == 33:
                            hevc_sps[clip] = rec[pos + 2:pos + 2 + n]
                        pos += 2 + n
            elif t == 8 and body[0] >> 4 == 10 and body[1] == 0:
                ascs[clip] = body[2:]
    write("AvcDecoderConfigFuzzTest#parseAvcDecoderConfig", avc_records)
    write("HevcDecoderConfigFuzzTest#parseHevcDecoderConfig", hevc_records)
    write("AvcSpsFuzzTest#parseAvcSps", avc_sps)
    write("HevcSpsFuzzTest#parseHevcSps", hevc_sps)
    write("AudioSpecificConfigFuzzTest#parseAudioSpecificConfig", ascs)

    # HTTP: the captured requests whole, two of them pipelined, and their request targets alone.
    http = {n[:-5]: capture(n) for n in sorted(os.listdir(os.path.join(HERE, "captures"))) if n.endswith(".http")}
    http["pipelined-list-then-metrics"] = http["curl-list-rooms"] + http["curl-get-metrics"]
    write("HttpPipelineFuzzTest#httpRequests", http)
    write("HttpPathFuzzTest#safePath", {n: r.split(b" ")[1] for n, r in http.items() if not n.startswith("pipelined")})

    # Admin API: the captured admin calls as "METHOD PATH\nBODY", several per input separated by NUL.
    def call(n):
        head, _, body = capture(n).partition(b"\r\n\r\n")
        if b"Transfer-Encoding: chunked" in head:
            body = body.split(b"\r\n")[1]
        method, path = head.split(b" ")[:2]
        return method + b" " + path + b"\n" + body
    names = ["create-room", "patch-room", "rotate-key", "go-live", "kick-viewer", "list-rooms", "chunked-post"]
    calls = {n: call(f"curl-{n}.http") for n in names}
    admin = {f"curl-{n}": c for n, c in calls.items()}
    admin["curl-session"] = b"\0".join(calls[n] for n in names) + b"\0DELETE /api/rooms/keynote\n"
    write("AdminApiFuzzTest#adminRequests", admin)


def check():
    """The re-chunked seeds must decode to the messages they were made of."""
    d = os.path.join(HERE, "ChunkStreamFuzzTestInputs", "inboundMessages")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            got = dechunk(f.read())
        print(name, [(m[1], m[2], len(m[4])) for m in got][:14])


if __name__ == "__main__":
    main()
    check()
