package fluxrelay.recording;

import fluxrelay.hls.fmp4.Fragment;
import fluxrelay.hls.fmp4.InitSegment;
import fluxrelay.hls.fmp4.Sample;
import fluxrelay.hls.fmp4.TrackRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends one recording to its fragmented MP4 file (ISO/IEC 14496-12 8.8) as the media arrives: the
 * initialization segment first, then a movie fragment at each keyframe once {@code fragmentMs} have gathered (or
 * at twice that without a keyframe; audio-only at that length). Each fragment is written whole and forced to the
 * device, so a crash or power loss leaves a file readable up to its last fragment.
 *
 * <p>Times come in as milliseconds on the recording's own timeline, starting near zero. Video runs on a 90 kHz
 * timescale with each sample lasting until the next one's decode time; audio on its sampling rate with decode
 * times counted in frames, resynchronised when they stray more than a frame from the timestamps. Not thread-safe:
 * one recording thread owns it.
 */
final class FragmentWriter implements AutoCloseable {

    private final FileChannel channel;
    private final ByteBufAllocator allocator;
    private final TrackSetup tracks;
    private final long fragmentMs;
    private final Held video;
    private final Held audio;
    private long sequence;
    private long bytes;
    private long audioNext = -1;
    private long lastVideoDts = -1;
    private long lastVideoDuration = 3000;
    private long maxVideoPts = -1;
    private final Written written;

    /** Told of each fragment once it is on the device (a live DVR window indexes them). */
    interface Written {
        /** Nothing is told. */
        Written NONE = (offset, length, seconds) -> { };

        /**
         * A fragment ({@code moof} and {@code mdat}) of {@code length} bytes at {@code offset} of the file, lasting
         * {@code seconds}; called on the writing thread after the fragment was forced to the device.
         */
        void fragment(long offset, int length, double seconds);
    }

    /** Creates the file and writes the initialization segment. */
    FragmentWriter(Path file, TrackSetup tracks, long fragmentMs, ByteBufAllocator allocator) throws IOException {
        this(file, tracks, fragmentMs, allocator, Written.NONE);
    }

    /** Creates the file and writes the initialization segment; {@code written} hears of every fragment. */
    FragmentWriter(Path file, TrackSetup tracks, long fragmentMs, ByteBufAllocator allocator, Written written) throws IOException {
        this.written = written;
        this.allocator = allocator;
        this.tracks = tracks;
        this.fragmentMs = fragmentMs;
        this.video = new Held(allocator);
        this.audio = new Held(allocator);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuf init = allocator.heapBuffer(1024);
        try {
            InitSegment.write(tracks.configs(), init);
            write(init);
        } catch (IOException | RuntimeException e) {
            init.release();
            channel.close();
            throw e;
        }
        init.release();
    }

    TrackSetup tracks() {
        return tracks;
    }

    /** Bytes written to the file so far. */
    long bytes() {
        return bytes;
    }

    /**
     * Where a frame following on after a gap (a reconnect) goes, in ms: with video, the decode time at which a frame
     * presented {@code ctsMs} after its decode time is presented one frame after every picture so far (B-frames
     * present after they decode) and decodes after the last; audio-only, the end of the audio.
     */
    long followOnMs(int ctsMs) {
        if (tracks.video() != null && lastVideoDts >= 0) {
            long dts = Math.max(lastVideoDts + lastVideoDuration, maxVideoPts + lastVideoDuration - ctsMs * 90L);
            return (dts + 89) / 90;
        }
        return audioNext < 0 ? 0 : (audioNext * 1000 + tracks.audio().sampleRate() - 1) / tracks.audio().sampleRate();
    }

    /**
     * A coded video frame of {@code length} bytes at {@code index} of {@code data} (length-prefixed NAL units).
     *
     * @param dtsMs decode time, ms, never below the last
     * @param ctsMs presentation minus decode time, ms
     */
    void video(long dtsMs, int ctsMs, boolean keyframe, ByteBuf data, int index, int length) throws IOException {
        long dts = Math.max(dtsMs * 90, lastVideoDts);
        if (!video.isEmpty()) {
            long held = dts - video.firstTime();
            if (keyframe && held >= fragmentMs * 90 || held >= 2 * fragmentMs * 90) {
                flush(dts);
            }
        }
        if (lastVideoDts >= 0 && dts > lastVideoDts) {
            lastVideoDuration = dts - lastVideoDts;
        }
        lastVideoDts = dts;
        maxVideoPts = Math.max(maxVideoPts, dts + ctsMs * 90L);
        video.add(dts, ctsMs * 90L, keyframe, data, index, length);
    }

    /** A raw AAC frame. */
    void audio(long dtsMs, ByteBuf data, int index, int length) throws IOException {
        TrackSetup.Audio config = tracks.audio();
        long measured = dtsMs * config.sampleRate() / 1000;
        if (audioNext < 0 || Math.abs(measured - audioNext) > config.frameSamples()) {
            audioNext = Math.max(measured, audioNext);
        }
        if (tracks.video() == null && !audio.isEmpty()
                && audioNext - audio.firstTime() >= fragmentMs * config.sampleRate() / 1000) {
            flush(-1);
        }
        audio.add(audioNext, 0, true, data, index, length);
        audioNext += config.frameSamples();
    }

    /**
     * Writes the held samples as one fragment.
     *
     * @param nextVideoDts decode time of the video frame that follows, giving the last held one its duration; -1 when
     *     none follows yet
     */
    private void flush(long nextVideoDts) throws IOException {
        List<TrackRun> runs = new ArrayList<>(2);
        if (!video.isEmpty()) {
            runs.add(video.run(TrackSetup.VIDEO_TRACK, -1, nextVideoDts >= 0 ? nextVideoDts : -1, lastVideoDuration));
        }
        if (!audio.isEmpty()) {
            runs.add(audio.run(TrackSetup.AUDIO_TRACK, tracks.audio().frameSamples(), -1, 0));
        }
        if (runs.isEmpty()) {
            return;
        }
        double seconds = video.isEmpty()
                ? (double) (audioNext - audio.firstTime()) / tracks.audio().sampleRate()
                : (nextVideoDts >= 0 ? nextVideoDts - video.firstTime() : lastVideoDts + lastVideoDuration - video.firstTime()) / 90_000.0;
        long offset = bytes;
        ByteBuf out = allocator.buffer(video.bytes() + audio.bytes() + 1024);
        try {
            Fragment.write(++sequence, runs, out);
            video.clear();
            audio.clear();
            write(out);
        } finally {
            out.release();
        }
        channel.force(false);
        written.fragment(offset, (int) (bytes - offset), Math.max(0, seconds));
    }

    private void write(ByteBuf buf) throws IOException {
        ByteBuffer nio = buf.nioBuffer();
        while (nio.hasRemaining()) {
            bytes += channel.write(nio);
        }
    }

    /** Writes what is held as a last fragment and closes the file. */
    @Override
    public void close() throws IOException {
        try {
            flush(-1);
        } finally {
            video.release();
            audio.release();
            channel.close();
        }
    }

    /** Closes the file without writing what is held (the session failed). */
    void abandon() {
        video.release();
        audio.release();
        try {
            channel.close();
        } catch (IOException ignored) {
            // the file is left as it is for the finalizer or for inspection
        }
    }

    /** One track's samples waiting for the next fragment, their bytes copied into one buffer. */
    private static final class Held {

        private final ByteBufAllocator allocator;
        private final List<long[]> samples = new ArrayList<>();
        private ByteBuf data;

        Held(ByteBufAllocator allocator) {
            this.allocator = allocator;
        }

        void add(long decodeTime, long compositionOffset, boolean sync, ByteBuf src, int index, int length) {
            if (data == null) {
                data = allocator.buffer(256 * 1024);
            }
            data.writeBytes(src, index, length);
            samples.add(new long[] {decodeTime, compositionOffset, sync ? 1 : 0, length});
        }

        boolean isEmpty() {
            return samples.isEmpty();
        }

        long firstTime() {
            return samples.get(0)[0];
        }

        int bytes() {
            return data == null ? 0 : data.readableBytes();
        }

        /**
         * The held samples as a run.
         *
         * @param fixedDuration every sample's duration, or -1 to take them from the decode times
         * @param nextTime decode time of the sample after the last, or -1 when unknown
         * @param fallback the last sample's duration when the next is unknown
         */
        TrackRun run(int trackId, long fixedDuration, long nextTime, long fallback) {
            List<Sample> run = new ArrayList<>(samples.size());
            for (int i = 0; i < samples.size(); i++) {
                long[] s = samples.get(i);
                long duration;
                if (fixedDuration >= 0) {
                    duration = fixedDuration;
                } else if (i + 1 < samples.size()) {
                    duration = samples.get(i + 1)[0] - s[0];
                } else {
                    duration = nextTime >= 0 ? nextTime - s[0] : fallback;
                }
                run.add(new Sample((int) Math.max(0, duration), (int) s[3], s[2] == 1, (int) s[1]));
            }
            return new TrackRun(trackId, firstTime(), run, data);
        }

        void clear() {
            samples.clear();
            if (data != null) {
                data.clear();
            }
        }

        void release() {
            samples.clear();
            if (data != null) {
                data.release();
                data = null;
            }
        }
    }
}
