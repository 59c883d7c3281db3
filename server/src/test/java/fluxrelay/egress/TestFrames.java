package fluxrelay.egress;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import io.netty.buffer.Unpooled;

/** Small synthetic frames for egress tests; each owns one reference to a fresh buffer of {@code size} bytes. */
final class TestFrames {

    private TestFrames() {
    }

    static VideoFrame videoHeader(long ts) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5, Unpooled.buffer(8).writeZero(8));
    }

    static VideoFrame keyframe(long ts, int size) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, true, 0, 5, Unpooled.buffer(size).writeZero(size));
    }

    static VideoFrame interframe(long ts, int size) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, false, 0, 5, Unpooled.buffer(size).writeZero(size));
    }

    static AudioFrame audio(long ts, int size) {
        return new AudioFrame(ts, AudioCodec.AAC, false, 2, Unpooled.buffer(size).writeZero(size));
    }
}
