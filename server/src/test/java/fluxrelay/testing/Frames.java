package fluxrelay.testing;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import io.netty.buffer.Unpooled;

/** Small synthetic frames for hub and egress tests; each owns one reference to a fresh zero-filled buffer. */
public final class Frames {

    private Frames() {
    }

    public static VideoFrame videoHeader(long ts) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5, Unpooled.buffer(8).writeZero(8));
    }

    public static VideoFrame keyframe(long ts, int size) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, true, 0, 5, Unpooled.buffer(size).writeZero(size));
    }

    public static VideoFrame interframe(long ts, int size) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, false, 0, 5, Unpooled.buffer(size).writeZero(size));
    }

    public static AudioFrame audioHeader(long ts) {
        return new AudioFrame(ts, AudioCodec.AAC, true, 2, Unpooled.buffer(4).writeZero(4));
    }

    public static AudioFrame audio(long ts, int size) {
        return new AudioFrame(ts, AudioCodec.AAC, false, 2, Unpooled.buffer(size).writeZero(size));
    }

    public static ScriptFrame metadata(long ts) {
        return new ScriptFrame(ts, ScriptFrame.ON_METADATA, Unpooled.buffer(16).writeZero(16));
    }
}
