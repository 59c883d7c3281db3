package fluxrelay.hls;

import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A room's segments in memory: the sliding window a live playlist lists (RFC 8216 6.2.2), plus segments
 * that left it but must stay available for their duration and the playlist's (same section), then freed.
 *
 * <p>One writer (the room's packager) appends; any thread reads. The lock covers each change and each
 * lookup that takes a reference, so a reader never gets a segment that is being freed.
 */
final class SegmentStore {

    /** A live playlist keeps at least three target durations (RFC 8216 6.2.2). */
    private static final int MIN_TARGET_DURATIONS = 3;
    /**
     * Whatever their durations, at most this many windows of segments are listed. Segments are that short only
     * when discontinuities come thick and fast (an encoder sending garbage timestamps); memory stays bounded
     * then, at the cost of a playlist shorter than three target durations.
     */
    static final int MAX_LISTED_WINDOWS = 4;

    private final int window;
    private final int minTargetDuration;
    private final LongSupplier clock;
    private final Consumer<SegmentInfo> freed;
    private final Deque<Segment> listed = new ArrayDeque<>();
    private final Deque<Retired> retired = new ArrayDeque<>();
    private long nextSequence;
    private long discontinuitySequence;
    private int targetDuration;
    private boolean ended;
    private boolean independent = true;
    private long produced;
    private long producedBytes;
    private boolean closed;

    private record Retired(Segment segment, long freeAt) {
    }

    /** A partial segment of the segment being written, with its own data reference. */
    private record OpenPart(String name, Part part, long completedAt) {
    }

    private final List<OpenPart> open = new ArrayList<>();

    /**
     * @param window segments listed
     * @param minTargetDuration the configured target duration, whole seconds rounded up
     * @param clock epoch ms
     * @param freed told (under the lock: keep it short) of each segment whose bytes are gone
     */
    SegmentStore(int window, int minTargetDuration, LongSupplier clock, Consumer<SegmentInfo> freed) {
        this.window = window;
        this.minTargetDuration = minTargetDuration;
        this.targetDuration = minTargetDuration;
        this.clock = clock;
        this.freed = freed;
    }

    /** The sequence number the next appended segment gets. */
    synchronized long nextSequence() {
        return nextSequence;
    }

    /**
     * Adds a finished segment (its sequence number is {@link #nextSequence()}) and slides the window. The
     * target duration starts at the configured one and only grows, when a longer segment comes (rounded to the
     * nearest second, RFC 8216 4.3.3.1): a live playlist must not change it otherwise (6.2.1), and the segmenter
     * bounds segment lengths whatever the timestamps say. Memory is bounded: at most {@value #MAX_LISTED_WINDOWS}
     * windows listed and two retired (see {@link #sweep}). Takes over the segment's references.
     */
    synchronized void append(Segment segment, boolean startsIndependent) {
        if (closed) {
            segment.release();
            return;
        }
        SegmentInfo info = segment.info();
        if (info.sequence() != nextSequence) {
            segment.release();
            throw new IllegalArgumentException("segment " + info.sequence() + " where " + nextSequence + " was due");
        }
        nextSequence++;
        releaseOpenParts();
        produced++;
        producedBytes += info.bytes();
        ended = false;
        independent &= startsIndependent;
        targetDuration = Math.max(targetDuration, (int) ((info.durationMs() + 500) / 1000));
        listed.addLast(segment);
        long now = clock.getAsLong();
        long playlistMs = listedDurationMs();
        while (listed.size() > window
                && (playlistMs - listed.peekFirst().info().durationMs() >= MIN_TARGET_DURATIONS * 1000L * targetDuration
                    || listed.size() > MAX_LISTED_WINDOWS * window)) {
            Segment oldest = listed.removeFirst();
            playlistMs -= oldest.info().durationMs();
            if (oldest.info().discontinuity()) {
                discontinuitySequence++; // its EXT-X-DISCONTINUITY leaves with it (RFC 8216 4.3.3.3)
            }
            retired.addLast(new Retired(oldest, now + oldest.info().durationMs() + playlistMs + oldest.info().durationMs()));
        }
        sweep(now);
    }

    /**
     * Adds a partial segment of the segment being written (sequence {@link #nextSequence()}), readable at
     * once under {@code name}; takes over the part's reference, given up when the whole segment arrives.
     */
    synchronized void appendPart(String name, Part part) {
        if (closed) {
            part.data().release();
            return;
        }
        open.add(new OpenPart(name, part, clock.getAsLong()));
    }

    private void releaseOpenParts() {
        open.forEach(p -> p.part().data().release());
        open.clear();
    }

    /** The partial segments of the segment being written, oldest first. */
    synchronized List<PartInfo> openParts() {
        List<PartInfo> infos = new ArrayList<>(open.size());
        open.forEach(p -> infos.add(new PartInfo(p.name(), p.part().durationMs(), p.part().independent())));
        return infos;
    }

    /** The partial segments of each listed segment, named with {@link Segment#partName}, aligned with {@link #view()}. */
    synchronized List<List<PartInfo>> listedParts() {
        List<List<PartInfo>> all = new ArrayList<>(listed.size());
        for (Segment segment : listed) {
            List<PartInfo> infos = new ArrayList<>(segment.parts().size());
            for (int i = 0; i < segment.parts().size(); i++) {
                Part part = segment.parts().get(i);
                infos.add(new PartInfo(Segment.partName(segment.info().name(), i), part.durationMs(), part.independent()));
            }
            all.add(infos);
        }
        return all;
    }

    /** Frees retired segments whose time is up (and, whatever the clock says, beyond two windows' worth). */
    synchronized void sweep(long now) {
        while (!retired.isEmpty() && (retired.peekFirst().freeAt() <= now || retired.size() > 2 * window + 2)) {
            free(retired.removeFirst().segment());
        }
    }

    /** When the next retired segment may be freed, epoch ms, or -1 when none waits. */
    synchronized long nextSweep() {
        return retired.isEmpty() ? -1 : retired.peekFirst().freeAt();
    }

    private void free(Segment segment) {
        segment.release();
        freed.accept(segment.info());
    }

    private long listedDurationMs() {
        long total = 0;
        for (Segment segment : listed) {
            total += segment.info().durationMs();
        }
        return total;
    }

    /** The stream ended: the playlist gets EXT-X-ENDLIST until a segment is appended again. */
    synchronized void end() {
        ended = true;
    }

    /**
     * Where the next segment would start: its sequence number and the discontinuities before it (those that left the
     * window and those still listed).
     */
    synchronized HlsStart position() {
        long discontinuities = discontinuitySequence;
        for (Segment segment : listed) {
            if (segment.info().discontinuity()) {
                discontinuities++;
            }
        }
        return new HlsStart(nextSequence, discontinuities);
    }

    /**
     * Goes on from {@code start} when it is ahead of this store: the listed segments leave the playlist (readable by
     * name until swept, as segments that slid out), the next segment is numbered {@code start.mediaSequence()} and
     * the discontinuities counted so far become {@code start.discontinuitySequence()}. A store at or past
     * {@code start} keeps its own numbering.
     *
     * @return true when the numbering moved to {@code start}
     */
    synchronized boolean continueAt(HlsStart start) {
        if (closed || start.mediaSequence() <= nextSequence) {
            return false;
        }
        long own = position().discontinuitySequence();
        long now = clock.getAsLong();
        long playlistMs = listedDurationMs();
        while (!listed.isEmpty()) {
            Segment oldest = listed.removeFirst();
            retired.addLast(new Retired(oldest, now + oldest.info().durationMs() + playlistMs));
        }
        releaseOpenParts();
        nextSequence = start.mediaSequence();
        discontinuitySequence = Math.max(own, start.discontinuitySequence());
        ended = false;
        return true;
    }

    /** A new publish started: the playlist is live again (its next segment carries a discontinuity). */
    synchronized void reopen() {
        ended = false;
    }

    /** True when any segment was ever appended. */
    synchronized boolean hasProduced() {
        return produced > 0;
    }

    /** The current media playlist state, or empty before the first segment. */
    synchronized Optional<PlaylistView> view() {
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        List<SegmentInfo> infos = new ArrayList<>(listed.size());
        listed.forEach(segment -> infos.add(segment.info()));
        return Optional.of(new PlaylistView(targetDuration, listed.peekFirst().info().sequence(), discontinuitySequence, infos,
                ended, independent));
    }

    /**
     * The segment or partial segment by file name (listed, retired or being written), with a new buffer
     * reference the caller releases.
     */
    synchronized Optional<SegmentContent> retain(String name, ByteBufAllocator allocator) {
        for (OpenPart p : open) {
            if (p.name().equals(name)) {
                return Optional.of(partContent(nextSequence, name, p.part(), p.completedAt()));
            }
        }
        Optional<SegmentContent> part = retainPart(name);
        if (part.isPresent()) {
            return part;
        }
        for (Segment segment : listed) {
            if (segment.info().name().equals(name)) {
                return Optional.of(new SegmentContent(segment.info(), segment.retainedData(allocator)));
            }
        }
        for (Retired old : retired) {
            if (old.segment().info().name().equals(name)) {
                return Optional.of(new SegmentContent(old.segment().info(), old.segment().retainedData(allocator)));
            }
        }
        return Optional.empty();
    }

    private Optional<SegmentContent> retainPart(String name) {
        int dot = name.indexOf('.');
        if (dot < 0 || name.indexOf('.', dot + 1) < 0) {
            return Optional.empty(); // part names have two dots
        }
        for (Deque<?> queue : List.of(listed, retired)) {
            for (Object entry : queue) {
                Segment segment = entry instanceof Retired old ? old.segment() : (Segment) entry;
                List<Part> parts = segment.parts();
                for (int i = 0; i < parts.size(); i++) {
                    if (Segment.partName(segment.info().name(), i).equals(name)) {
                        return Optional.of(partContent(segment.info().sequence(), name, parts.get(i), segment.info().completedAt()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static SegmentContent partContent(long sequence, String name, Part part, long completedAt) {
        SegmentInfo info = new SegmentInfo(sequence, name, part.startTimestamp(), part.durationMs(), false, 0,
                part.data().readableBytes(), completedAt);
        return new SegmentContent(info, part.data().retainedDuplicate());
    }

    /**
     * Figures for metrics.
     *
     * @param produced segments appended since start
     * @param producedBytes their bytes
     * @param listed segments in the playlist
     * @param listedBytes their bytes
     * @param held segments in memory, retired ones included
     * @param memory bytes of memory they take
     * @param targetDuration the playlist's target duration, s
     * @param ended the playlist carries EXT-X-ENDLIST
     */
    record Figures(long produced, long producedBytes, int listed, long listedBytes, int held, long memory, int targetDuration,
                   boolean ended) {
    }

    /** Figures for metrics: produced so far and held now. */
    synchronized Figures figures() {
        long memory = 0;
        long listedBytes = 0;
        for (Segment segment : listed) {
            memory += segment.memory();
            listedBytes += segment.info().bytes();
        }
        for (Retired old : retired) {
            memory += old.segment().memory();
        }
        return new Figures(produced, producedBytes, listed.size(), listedBytes, listed.size() + retired.size(),
                memory, targetDuration, ended);
    }

    /** Frees every segment; later appends are released at once. */
    synchronized void close() {
        closed = true;
        releaseOpenParts();
        listed.forEach(this::free);
        listed.clear();
        retired.forEach(old -> free(old.segment()));
        retired.clear();
    }
}
