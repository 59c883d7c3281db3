package fluxrelay.hls;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.CodecFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where a room's segments start and end and hands finished ones on, independent of the container.
 *
 * <p>With video, a segment starts at a keyframe and is cut at the first keyframe once it reaches the target
 * duration (a keyframe up to {@value #KEYFRAME_TOLERANCE_MS} ms early counts, for encoders' rounding);
 * frames before a stream's first keyframe are skipped. Audio-only streams are cut on time. A new publish,
 * and changed codec parameters within one, start a segment with a discontinuity (RFC 8216 4.3.2.3); a
 * track that changes mid-segment joins at the next segment. Program date-times (4.3.2.6) come from the
 * wall-clock time at which frames arrive, anchored at the most timely frame before a publish's first cut.
 *
 * <p>Whatever the timestamps say, a segment stays sane: a timestamp discontinuity (the hub's {@link
 * #discontinuity()}, or a frame stepping forward by more than the target duration or back by more than
 * {@value #REORDER_TOLERANCE_MS} ms) ends the segment at its last frame and the next one starts, at a
 * keyframe, with an EXT-X-DISCONTINUITY and a fresh date-time anchor; a segment is also cut, keyframe or
 * not, at {@code maxSegmentBytes} and at {@value #MAX_SEGMENT_TARGETS} target durations. So no segment lasts
 * longer than that plus one target duration, and EXT-X-TARGETDURATION never takes a jump's length.
 *
 * <p>Runs on the room's packaging thread; frames are released by the caller. Buffers are taken when a publish
 * opens its first segment and given back when it stops, so a room without a publisher holds none.
 */
final class Segmenter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Segmenter.class);
    static final long KEYFRAME_TOLERANCE_MS = 50;
    static final long PART_JITTER_MS = 2;
    /** A step back between two frames up to this far is tracks interleaved out of order, not a discontinuity. */
    static final long REORDER_TOLERANCE_MS = 1000;
    /**
     * A segment is cut at this many target durations even without a keyframe (frames wait for the next one):
     * long enough for any encoder's keyframe interval one would stream with (OBS's "auto" is about 8 s, so 20 s
     * at the default 2 s target), short enough that EXT-X-TARGETDURATION stays a number players cope with.
     */
    static final int MAX_SEGMENT_TARGETS = 10;
    private static final int BLOCK_SIZE = 16 * 1024;

    /** Where finished segments go. */
    interface Output {
        /** A finished segment; its references move to the receiver. */
        void segment(Segment segment, boolean independent);

        /** The stream ended (after its last segment). */
        void ended();

        /**
         * A partial segment of the open segment {@code sequence} (Low-Latency HLS), numbered from 0, as soon as
         * it is complete; the receiver owns this reference to its data (the finished {@link Segment} holds
         * its own). {@code discontinuity}: the segment will carry an EXT-X-DISCONTINUITY.
         */
        default void part(long sequence, int index, Part part, boolean discontinuity) {
            part.data().release();
        }
    }

    private final String roomId;
    private final PackagerSettings settings;
    private final ContainerWriter writer;
    private final String namePrefix;
    private final LongSupplier clock;
    private final ByteBufAllocator allocator;
    private final Output output;
    private final SegmentBuffer buffer;
    private ByteBuf scratch;
    private final long targetMs;
    private final long maxSegmentMs;

    private VideoTrack video;
    private AudioTrack audio;
    private Tracks configured;
    private boolean tracksChanged;
    /** The program switched input: the next segment starts at the new input's first keyframe. */
    private boolean cutAtSwitch;
    private boolean pendingDiscontinuity;
    private long sequence;
    private int segmentsThisPublish;
    private boolean warnedVideo;
    private boolean warnedAudio;
    private long skipped;

    private boolean open;
    private long segmentStart;
    private boolean segmentDiscontinuity;
    private boolean segmentIndependent;
    private int segmentFrames;
    private final long partTargetMs;
    private final List<Part> parts = new ArrayList<>();
    private long partStart;
    private boolean partIndependent;
    private long partsMemory;

    /** Lines this segmenter's cuts up with a room's program: null to cut by its own rule alone. */
    private AlignedCuts alignment;
    /** True when this segmenter follows {@link #alignment} (a rendition), false when it leads it (the program). */
    private boolean follows;

    private long lastVideo = -1;
    private long videoInterval = 33;
    private long lastAudio = -1;
    private long anchor = Long.MAX_VALUE;
    private boolean anchorFixed;

    Segmenter(String roomId, PackagerSettings settings, ContainerWriter writer, ByteBufAllocator allocator, String namePrefix,
              LongSupplier clock, Output output) {
        this(roomId, settings, writer, allocator, namePrefix, clock, output, 0);
    }

    /**
     * @param partTargetMs cut partial segments of at most this duration (the writer must {@linkplain
     *     ContainerWriter#writesParts write parts}); 0 for whole segments only
     */
    Segmenter(String roomId, PackagerSettings settings, ContainerWriter writer, ByteBufAllocator allocator, String namePrefix,
              LongSupplier clock, Output output, long partTargetMs) {
        if (partTargetMs > 0 && !writer.writesParts()) {
            throw new IllegalArgumentException(writer.extension() + " writer cannot cut partial segments");
        }
        this.partTargetMs = partTargetMs;
        this.roomId = roomId;
        this.settings = settings;
        this.writer = writer;
        this.namePrefix = namePrefix;
        this.clock = clock;
        this.allocator = allocator;
        this.output = output;
        this.buffer = new SegmentBuffer(allocator, BLOCK_SIZE);
        this.targetMs = settings.targetDuration().toMillis();
        this.maxSegmentMs = MAX_SEGMENT_TARGETS * targetMs;
    }

    /**
     * Lines segments up across a room's quality renditions ({@link AlignedCuts}): the program's segmenter leads (notes
     * its cuts), each rendition's follows (cuts where the program did). Set once, before the first frame.
     */
    void align(AlignedCuts cuts, boolean follow) {
        this.alignment = cuts;
        this.follows = follow;
    }

    /** A publish starts: fresh tracks, and a discontinuity if segments came before. */
    void start() {
        if (alignment != null && !follows) {
            alignment.reset();
        }
        if (open) {
            finish(estimatedEnd());
        }
        video = null;
        audio = null;
        tracksChanged = true;
        pendingDiscontinuity = sequence > 0;
        segmentsThisPublish = 0;
        lastVideo = -1;
        lastAudio = -1;
        anchor = Long.MAX_VALUE;
        anchorFixed = false;
    }

    /**
     * After {@link #start()}: the publish goes on from another packager's numbering, its first segment numbered
     * {@code next} (ahead of this segmenter) and marked as a discontinuity.
     */
    void continueAt(long next) {
        if (next < sequence) {
            throw new IllegalArgumentException("segment " + next + " is behind " + sequence);
        }
        sequence = next;
        pendingDiscontinuity = true;
    }

    /** The next frame of the stream (the caller keeps and releases it). */
    void frame(MediaFrame frame) {
        if (frame instanceof VideoFrame v) {
            if (v.isSequenceHeader()) {
                videoHeader(v);
            } else if (v.kind() == VideoPacketKind.CODED_FRAME) {
                video(v);
            }
        } else if (frame instanceof AudioFrame a) {
            if (a.sequenceHeader()) {
                audioHeader(a);
            } else {
                audio(a);
            }
        }
    }

    /**
     * The timestamps jumped (the hub rebased them, or they were seen to jump here): the open segment ends at its
     * last frame and the next, from the next keyframe, carries a discontinuity with a new date-time anchor.
     */
    void discontinuity() {
        if (open) {
            finish(estimatedEnd());
        }
        pendingDiscontinuity = sequence > 0;
        lastVideo = -1;
        lastAudio = -1;
        anchor = Long.MAX_VALUE;
        anchorFixed = false;
    }

    /**
     * The room's program switched to another input: the open segment ends at the new input's first keyframe, so no
     * segment mixes two inputs. The discontinuity, when the codec parameters changed, comes from the new sequence
     * headers (as within one publish); with the same parameters the timeline continues and none is marked.
     */
    void switched() {
        cutAtSwitch = true;
    }

    /** True when {@code ts} is no plausible next timestamp after the last frame of this publish. */
    private boolean jumped(long ts) {
        long last = Math.max(lastVideo, lastAudio);
        return last >= 0 && (ts - last > targetMs || last - ts > REORDER_TOLERANCE_MS);
    }

    /** The stream stopped: the open segment is finished, the playlist ends and the writing buffers are given back. */
    void stop() {
        if (open) {
            finish(estimatedEnd());
        }
        releaseBuffers();
        output.ended();
    }

    private void releaseBuffers() {
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
        writer.releaseBuffers();
    }

    private void videoHeader(VideoFrame header) {
        if (!VideoTrack.supports(header.codec())) {
            if (!warnedVideo) {
                warnedVideo = true;
                log.warn("room {}: HLS cannot carry {} video; packaging without it", roomId, header.codec().fourCc());
            }
            return;
        }
        VideoTrack track;
        try {
            track = VideoTrack.parse(header);
        } catch (CodecFormatException | IllegalArgumentException e) {
            log.warn("room {}: unreadable video sequence header, video left out of HLS: {}", roomId, e.getMessage());
            return;
        }
        if (track.sameConfig(video)) {
            return;
        }
        if (video != null || open) {
            if (open) {
                finish(lastVideo >= 0 ? lastVideo + videoInterval : estimatedEnd());
            }
            pendingDiscontinuity = sequence > 0;
        }
        video = track;
        tracksChanged = true;
    }

    private void audioHeader(AudioFrame header) {
        if (!AudioTrack.supports(header.codec())) {
            warnAudio(header.codec());
            return;
        }
        try {
            changeAudio(AudioTrack.parse(header));
        } catch (CodecFormatException | IllegalArgumentException e) {
            log.warn("room {}: unusable audio sequence header, audio left out of HLS: {}", roomId, e.getMessage());
        }
    }

    private void changeAudio(AudioTrack track) {
        if (track.sameConfig(audio)) {
            return;
        }
        boolean replaced = audio != null;
        audio = track;
        tracksChanged = true;
        if (video == null && open) {
            finish(estimatedEnd());
        }
        if (replaced) {
            pendingDiscontinuity = sequence > 0;
        }
    }

    private void warnAudio(AudioCodec codec) {
        if (!warnedAudio) {
            warnedAudio = true;
            log.warn("room {}: HLS (MPEG-TS) cannot carry {} audio; packaging without it", roomId, codec.shortName());
        }
    }

    private void video(VideoFrame frame) {
        if (video == null) {
            skipped++;
            return;
        }
        long ts = frame.timestamp();
        if (jumped(ts)) {
            discontinuity();
        }
        if (lastVideo >= 0 && ts > lastVideo) {
            videoInterval = ts - lastVideo;
        }
        lastVideo = ts;
        noteArrival(ts);
        boolean key = frame.isRandomAccessPoint();
        boolean byDuration = ts - segmentStart >= targetMs - KEYFRAME_TOLERANCE_MS;
        // Renditions line up by presentation time: a re-encoded rendition without B-frames presents its keyframe when
        // the program does, though their decode times differ by the program's composition offset.
        long shown = ts + frame.compositionTime();
        if (alignment != null) {
            if (!follows) {
                alignment.seen(shown);
            } else if (open && key) {
                byDuration = alignment.cutHere(shown, ts - segmentStart, byDuration, targetMs);
            }
        }
        if (open && key && (tracksChanged || cutAtSwitch || byDuration)) {
            finish(ts);
        } else if (open && buffer.size() >= settings.maxSegmentBytes()) {
            log.warn("room {}: HLS segment reached {} bytes without a keyframe; cut early", roomId, buffer.size());
            finish(ts);
        } else if (open && ts - segmentStart >= maxSegmentMs) {
            log.warn("room {}: HLS segment reached {} ms without a keyframe; cut early", roomId, ts - segmentStart);
            finish(ts);
        }
        if (!open) {
            if (!key) {
                skipped++;
                return;
            }
            begin(ts, shown, true);
        } else if (partDue(ts, videoInterval)) {
            cutPart(ts, key);
        }
        try {
            writer.writeVideo(frame, scratch);
            segmentFrames++;
        } catch (CodecFormatException e) {
            skipped++;
            log.debug("room {}: malformed video frame left out of HLS: {}", roomId, e.getMessage());
        }
        keep();
    }

    private void audio(AudioFrame frame) {
        if (audio == null && frame.codec() == AudioCodec.MP3) {
            try {
                changeAudio(AudioTrack.parse(frame)); // MP3 has no sequence header: its frames say what it is
            } catch (CodecFormatException | IllegalArgumentException e) {
                skipped++;
                log.debug("room {}: unreadable MP3 frame left out of HLS: {}", roomId, e.getMessage());
                return;
            }
        }
        if (audio == null || frame.codec() != audio.codec()) {
            skipped++;
            return;
        }
        long ts = frame.timestamp();
        if (jumped(ts)) {
            discontinuity();
        }
        lastAudio = ts;
        noteArrival(ts);
        if (video == null) {
            if (open && (tracksChanged || cutAtSwitch || ts - segmentStart >= targetMs || buffer.size() >= settings.maxSegmentBytes())) {
                finish(ts);
            }
            if (!open) {
                begin(ts, true);
            } else if (partDue(ts, Math.round(audio.frameDurationMs()))) {
                cutPart(ts, true);
            }
        }
        if (!open || configured.audio() != audio) {
            skipped++;
            return;
        }
        try {
            writer.writeAudio(frame, scratch);
            segmentFrames++;
        } catch (CodecFormatException e) {
            skipped++; // e.g. an AAC frame longer than an ADTS header can state
            log.debug("room {}: malformed audio frame left out of HLS: {}", roomId, e.getMessage());
        }
        keep();
    }

    private void begin(long ts, boolean independent) {
        begin(ts, ts, independent);
    }

    /** Opens a segment at decode time {@code ts} whose first picture is presented at {@code shown}. */
    private void begin(long ts, long shown, boolean independent) {
        cutAtSwitch = false;
        if (scratch == null) {
            scratch = allocator.buffer(64 * 1024);
        }
        if (tracksChanged || configured == null) {
            if (configured != null && segmentsThisPublish > 0) {
                pendingDiscontinuity = true;
            }
            configured = new Tracks(video, audio);
            writer.configure(configured);
            tracksChanged = false;
        }
        open = true;
        segmentStart = ts;
        if (alignment != null && !follows) {
            alignment.cut(shown);
        }
        segmentDiscontinuity = pendingDiscontinuity;
        pendingDiscontinuity = false;
        segmentIndependent = independent;
        segmentFrames = 0;
        partStart = ts;
        partIndependent = independent;
        parts.clear();
        partsMemory = 0;
        writer.beginSegment(scratch);
        keep();
    }

    /**
     * True when the frame at {@code ts}, lasting about {@code interval}, would take the part past its target
     * (with {@value #PART_JITTER_MS} ms to spare for FLV's millisecond rounding: a part never exceeds it).
     */
    private boolean partDue(long ts, long interval) {
        return partTargetMs > 0 && segmentFrames > 0 && ts + interval + PART_JITTER_MS - partStart > partTargetMs;
    }

    /** Closes the current partial segment at {@code ts}; the next one starts there. */
    private void cutPart(long ts, boolean nextIndependent) {
        writer.endPart(scratch);
        keep();
        if (buffer.size() > 0) {
            partsMemory += buffer.memory();
            Part part = new Part(buffer.finish(), partStart, Math.max(1, ts - partStart), partIndependent);
            parts.add(part);
            announce(part);
        }
        partStart = ts;
        partIndependent = nextIndependent;
    }

    private void finish(long end) {
        writer.endSegment(scratch);
        keep();
        open = false;
        if (segmentFrames == 0) {
            buffer.close();
            return;
        }
        anchorFixed = true;
        long duration = Math.max(1, end - segmentStart);
        List<Part> segmentParts;
        long memory;
        if (partTargetMs > 0) {
            if (buffer.size() > 0) {
                partsMemory += buffer.memory();
                Part last = new Part(buffer.finish(), partStart, Math.max(1, end - partStart), partIndependent);
                parts.add(last);
                announce(last);
            } else {
                buffer.close();
            }
            segmentParts = List.copyOf(parts);
            memory = partsMemory;
            parts.clear();
        } else {
            memory = buffer.memory();
            ByteBuf data = buffer.finish();
            segmentParts = List.of(new Part(data, segmentStart, duration, segmentIndependent));
        }
        int bytes = segmentParts.stream().mapToInt(part -> part.data().readableBytes()).sum();
        String name = namePrefix + sequence + "." + writer.extension();
        SegmentInfo info = new SegmentInfo(sequence, name, segmentStart, duration, segmentDiscontinuity,
                anchor == Long.MAX_VALUE ? clock.getAsLong() : anchor + segmentStart, bytes, clock.getAsLong());
        sequence++;
        segmentsThisPublish++;
        output.segment(new Segment(info, segmentParts, memory), segmentIndependent);
    }

    /** Hands the output its own reference to the newest part; the segment keeps the original. */
    private void announce(Part part) {
        output.part(sequence, parts.size() - 1, new Part(part.data().retainedDuplicate(), part.startTimestamp(),
                part.durationMs(), part.independent()), segmentDiscontinuity);
    }

    /** Moves what the writer wrote into the segment. */
    private void keep() {
        if (scratch.isReadable()) {
            buffer.append(scratch);
            scratch.clear();
        }
    }

    /** Wall-clock ms minus media ms: the smallest is the frame that arrived most promptly. */
    private void noteArrival(long ts) {
        if (!anchorFixed) {
            anchor = Math.min(anchor, clock.getAsLong() - ts);
        }
    }

    private long estimatedEnd() {
        long end = segmentStart + 1;
        if (lastVideo >= 0) {
            end = Math.max(end, lastVideo + videoInterval);
        }
        if (lastAudio >= 0 && audio != null) {
            end = Math.max(end, lastAudio + Math.round(audio.frameDurationMs()));
        }
        return end;
    }

    /** The tracks of the segment being written or last written, or null before the first. */
    Tracks tracks() {
        return configured;
    }

    /** Frames left out so far (before a keyframe, of unsupported codecs, malformed). */
    long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        open = false;
        parts.forEach(part -> part.data().release()); // parts of a segment that never finished
        parts.clear();
        buffer.close();
        if (scratch != null) {
            scratch.release();
            scratch = null;
        }
        writer.close();
    }
}
