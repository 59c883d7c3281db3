package fluxrelay.hls;

import fluxrelay.hls.fmp4.Fragment;
import fluxrelay.hls.fmp4.InitSegment;
import fluxrelay.hls.fmp4.TrackConfig;
import fluxrelay.hls.fmp4.TrackRun;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * Fragmented MP4 (CMAF) segments for HLS (RFC 8216bis 3.1.2): an initialization segment per track
 * configuration, and each segment or partial segment one movie fragment with the frames written since the
 * last. H.264/H.265 frames keep their length-prefixed form (the FLV payload is already what {@code avc1}
 * and {@code hvc1} samples hold); AAC frames go in raw. MP3 audio is left out (the HLS fMP4 profile
 * carries AAC).
 *
 * <p>Video runs on a 90 kHz timescale, audio on its sampling rate with decode times counted in frames so
 * that they do not drift with the millisecond time stamps of FLV (resynchronised when they differ by more
 * than a frame, after a gap).
 */
final class Fmp4Writer implements ContainerWriter {

    static final int VIDEO_TRACK = 1;
    static final int AUDIO_TRACK = 2;
    private static final int VIDEO_TIMESCALE = 90_000;

    private final ByteBufAllocator allocator;
    private final SampleQueue video;
    private final SampleQueue audio;
    private byte[] init;
    private boolean hasVideo;
    private boolean hasAudio;
    private int audioRate;
    private int audioFrameSamples;
    private long audioNext = -1;
    private long sequence;
    private int configurations;

    Fmp4Writer(ByteBufAllocator allocator) {
        this.allocator = allocator;
        this.video = new SampleQueue(allocator);
        this.audio = new SampleQueue(allocator);
    }

    @Override
    public String extension() {
        return "m4s";
    }

    @Override
    public String contentType() {
        return "video/mp4";
    }

    /** True when the configured tracks include audio the fMP4 rendition can carry (AAC). */
    static boolean carries(AudioTrack track) {
        return track != null && track.codec() == AudioCodec.AAC;
    }

    @Override
    public void configure(Tracks tracks) {
        configurations++;
        video.clear();
        audio.clear();
        audioNext = -1;
        List<TrackConfig> configs = new ArrayList<>();
        VideoTrack v = tracks.video();
        hasVideo = v != null;
        if (hasVideo) {
            configs.add(new TrackConfig.Video(VIDEO_TRACK, VIDEO_TIMESCALE, v.codec() == VideoCodec.HEVC, v.config(),
                    v.info().width(), v.info().height()));
        }
        AudioTrack a = tracks.audio();
        hasAudio = carries(a);
        if (hasAudio) {
            audioRate = a.config().extensionSampleRate() > 0 ? a.config().extensionSampleRate() : a.config().sampleRate();
            audioFrameSamples = (int) Math.round(a.frameDurationMs() * audioRate / 1000.0);
            configs.add(new TrackConfig.Audio(AUDIO_TRACK, audioRate, audioRate, Math.max(1, a.config().channelCount()),
                    a.config().raw()));
        }
        if (configs.isEmpty()) {
            init = null;
            return;
        }
        ByteBuf out = allocator.heapBuffer(1024);
        try {
            InitSegment.write(configs, out);
            init = ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** The initialization segment of the configured tracks (EXT-X-MAP), or null when none can be carried. */
    byte[] initSegment() {
        return init == null ? null : init.clone();
    }

    /** How many times the tracks were configured: a new number means a new initialization segment. */
    int configurations() {
        return configurations;
    }

    @Override
    public void beginSegment(ByteBuf out) {
        // fragments need no header of their own; the initialization segment describes the tracks
    }

    @Override
    public void writeVideo(VideoFrame frame, ByteBuf out) {
        if (!hasVideo) {
            return;
        }
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        video.add(frame.timestamp() * 90, frame.compositionTime() * 90, frame.isRandomAccessPoint(), payload, start,
                payload.writerIndex() - start);
    }

    @Override
    public void writeAudio(AudioFrame frame, ByteBuf out) {
        if (!hasAudio) {
            return;
        }
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        int length = payload.writerIndex() - start;
        if (length <= 0) {
            return;
        }
        long measured = frame.timestamp() * audioRate / 1000;
        if (audioNext < 0 || Math.abs(measured - audioNext) > audioFrameSamples) {
            audioNext = measured;
        }
        audio.add(audioNext, 0, true, payload, start, length);
        audioNext += audioFrameSamples;
    }

    @Override
    public boolean writesParts() {
        return true;
    }

    /** Writes the frames held so far as one movie fragment (a partial segment); nothing when none are held. */
    @Override
    public void endPart(ByteBuf out) {
        List<TrackRun> runs = new ArrayList<>(2);
        if (!video.isEmpty()) {
            runs.add(video.run(VIDEO_TRACK, -1));
        }
        if (!audio.isEmpty()) {
            runs.add(audio.run(AUDIO_TRACK, audioFrameSamples));
        }
        if (runs.isEmpty()) {
            return;
        }
        Fragment.write(++sequence, runs, out);
        video.clear();
        audio.clear();
    }

    /** True when frames are held for the next fragment. */
    boolean holdsFrames() {
        return !video.isEmpty() || !audio.isEmpty();
    }

    @Override
    public void endSegment(ByteBuf out) {
        endPart(out);
    }

    @Override
    public void releaseBuffers() {
        video.release();
        audio.release();
    }

    @Override
    public void close() {
        video.close();
        audio.close();
    }
}
