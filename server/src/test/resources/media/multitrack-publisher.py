"""Publishes (or writes) an Enhanced RTMP v2 multitrack FLV with FFmpeg's FLV muxer through PyAV:
two H.264 video tracks (320x240 and 160x120, 25 fps, keyframe every second) and two AAC tracks."""
import av, sys, fractions
url = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2
audio_tracks = int(sys.argv[3]) if len(sys.argv) > 3 else 2
out = av.open(url, 'w', format='flv')
sizes = [(320, 240), (160, 120)]
video = []
for w, h in sizes:
    s = out.add_stream('libx264', rate=25)
    s.width, s.height, s.pix_fmt = w, h, 'yuv420p'
    s.options = {'g': '25', 'bf': '0', 'tune': 'zerolatency', 'preset': 'ultrafast'}
    video.append(s)
audio = []
for _ in range(audio_tracks):
    a = out.add_stream('aac', rate=44100)
    a.layout = 'mono'
    audio.append(a)
samples = 0
tb = fractions.Fraction(1, 44100)
for i in range(int(seconds * 25)):
    for s, (w, h) in zip(video, sizes):
        f = av.VideoFrame(w, h, 'yuv420p')
        for n, plane in enumerate(f.planes):
            plane.update(bytes([(i * 7 + n * 60 + w // 10) % 256]) * plane.buffer_size)
        f.pts = i
        f.time_base = fractions.Fraction(1, 25)
        for p in s.encode(f):
            out.mux(p)
    while samples < (i + 1) * 44100 // 25:
        for a in audio:
            af = av.AudioFrame(format='fltp', layout='mono', samples=1024)
            af.planes[0].update(bytes(1024 * 4))
            af.sample_rate = 44100
            af.pts = samples
            af.time_base = tb
            for p in a.encode(af):
                out.mux(p)
        samples += 1024
for s in video + audio:
    for p in s.encode():
        out.mux(p)
out.close()
