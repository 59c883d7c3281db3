package fluxrelay.flv;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The sample clips under test resources {@code media/} (see the README there), for tests. */
final class TestMedia {

    static final String H264_720P = "h264-aac-720p30-1s.flv";
    static final String H264_1080P = "h264-aac-1080p30-0.3s.flv";
    static final String VIDEO_ONLY = "video-only-2.1s.flv";
    static final String AUDIO_ONLY = "audio-only-3s.flv";
    static final String HEVC_ENHANCED = "hevc-aac-720p30-enhanced-1s.flv";
    static final List<String> ALL = List.of(H264_720P, H264_1080P, VIDEO_ONLY, AUDIO_ONLY, HEVC_ENHANCED);

    private TestMedia() {
    }

    static byte[] bytes(String name) {
        try (InputStream in = TestMedia.class.getResourceAsStream("/media/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test media " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file in a leak-tracked buffer; the caller releases it. */
    static ByteBuf load(String name) {
        byte[] bytes = bytes(name);
        return ByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
    }

    /** Every tag of the file demuxed, in order; the caller releases each frame. */
    static List<MediaFrame> frames(String name) {
        ByteBuf file = load(name);
        try {
            List<MediaFrame> frames = new ArrayList<>();
            for (FlvTag tag : FlvReader.readAll(file)) {
                frames.add(tag.toFrame());
            }
            return frames;
        } finally {
            file.release();
        }
    }

    static void releaseAll(List<? extends MediaFrame> frames) {
        frames.forEach(MediaFrame::release);
    }

    /** One line per frame, for golden comparisons. */
    static String describe(MediaFrame frame) {
        if (frame instanceof VideoFrame v) {
            return "video " + v.codec() + " " + v.kind() + (v.keyframe() ? " key" : " inter")
                    + " cts=" + v.compositionTime() + " at=" + v.dataOffset();
        }
        if (frame instanceof AudioFrame a) {
            return "audio " + a.codec() + (a.sequenceHeader() ? " seq" : " raw") + " at=" + a.dataOffset();
        }
        ScriptFrame s = (ScriptFrame) frame;
        return "script " + s.name() + " size=" + s.size();
    }
}
