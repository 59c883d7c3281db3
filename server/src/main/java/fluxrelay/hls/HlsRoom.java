package fluxrelay.hls;

import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The HLS output of one room as readers see it: the current playlists and the segments in memory. Safe to
 * read from any thread; the room's packager publishes each change.
 */
public final class HlsRoom {

    /** The multivariant playlist's file name: {@code /hls/{room-id}/index.m3u8}. */
    public static final String MASTER_PLAYLIST = "index.m3u8";
    /** The media playlist's file name, referenced by the multivariant playlist. */
    public static final String MEDIA_PLAYLIST = "stream.m3u8";
    /** The fMP4 Low-Latency HLS media playlist's file name: {@code /hls/{room-id}/ll.m3u8}. */
    public static final String LOW_LATENCY_PLAYLIST = "ll.m3u8";
    /**
     * The Low-Latency HLS multivariant playlist's file name: {@code /hls/{room-id}/ll-index.m3u8}, what {@code index.m3u8}
     * is to the MPEG-TS media playlists, pointing at {@code ll.m3u8} and each quality rendition's.
     */
    public static final String LOW_LATENCY_MASTER_PLAYLIST = "ll-index.m3u8";

    private final String roomId;
    private final SegmentStore store;
    private final String segmentContentType;
    private final ByteBufAllocator allocator;
    private final LongSupplier diskFailures;
    private final Fmp4Rendition fmp4;
    private final boolean ts;
    private final Listeners<Consumer<Playlists>> listeners = new Listeners<>();
    private volatile Playlists playlists;
    private volatile long framesSkipped;
    private volatile String failure;
    private volatile boolean closed;
    private volatile long startHoldMs;
    private volatile VariantInfo variant;

    HlsRoom(String roomId, SegmentStore store, String segmentContentType, ByteBufAllocator allocator, LongSupplier diskFailures) {
        this(roomId, store, segmentContentType, allocator, diskFailures, null, true);
    }

    HlsRoom(String roomId, SegmentStore store, String segmentContentType, ByteBufAllocator allocator, LongSupplier diskFailures,
            Fmp4Rendition fmp4, boolean ts) {
        this.fmp4 = fmp4;
        this.ts = ts;
        this.roomId = roomId;
        this.store = store;
        this.segmentContentType = segmentContentType;
        this.allocator = allocator;
        this.diskFailures = diskFailures;
    }

    public String roomId() {
        return roomId;
    }

    /** Whether the room is packaged to MPEG-TS ({@code index.m3u8}, {@code stream.m3u8}); false for fMP4-only rooms. */
    public boolean hasTs() {
        return ts;
    }

    /**
     * Why the room's packaging stopped, in words a viewer may read, or empty while it works. A failed room
     * serves nothing until its stream starts again (a new publish, or the room shown again).
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * True once the room's hub closed (the room was deleted, or the server stops): the playlists carry
     * {@code EXT-X-ENDLIST} and stay readable, with their segments, for one playlist window so players finish.
     */
    public boolean closed() {
        return closed;
    }

    /** The hub closed: see {@link #closed()}. */
    void close() {
        closed = true;
    }

    /**
     * How long a playlist request may wait for the room's first playlist, ms, or 0 when none is coming soon: positive
     * while a publish that goes on from another node's numbering (a failover) has not finished its first segment.
     * Readers hold such requests instead of answering 404, as for a part not there yet.
     */
    public long startHoldMs() {
        return startHoldMs;
    }

    /**
     * A publish goes on from another node's numbering: readers wait up to {@code holdMs} for its first playlists
     * (0 ends that); the MPEG-TS playlists of an earlier numbering are withdrawn when {@code dropPlaylists}.
     */
    void awaitFirstSegment(long holdMs, boolean dropPlaylists) {
        if (dropPlaylists) {
            playlists = null;
        }
        startHoldMs = holdMs;
    }

    /** The playlists, or empty while no segment exists yet. */
    public Optional<Playlists> playlists() {
        return Optional.ofNullable(playlists);
    }

    /** A segment by file name with a buffer reference the caller owns, or empty when unknown or already freed. */
    public Optional<SegmentContent> segment(String name) {
        return store.retain(name, allocator);
    }

    /** HTTP Content-Type of the segments. */
    public String segmentContentType() {
        return segmentContentType;
    }

    /**
     * Calls {@code listener} on the packaging thread after each playlist change (for blocking playlist
     * reloads), in the order they were added; it must not block.
     */
    public void addListener(Consumer<Playlists> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<Playlists> listener) {
        listeners.remove(listener);
    }

    /** True when the room has an fMP4 Low-Latency HLS rendition. */
    public boolean hasLowLatency() {
        return fmp4 != null;
    }

    /** The Low-Latency HLS playlist, or empty without the rendition or while no segment exists yet. */
    public Optional<LowLatencyPlaylist> lowLatencyPlaylist() {
        return fmp4 == null ? Optional.empty() : fmp4.playlist();
    }

    /**
     * An fMP4 initialization segment, segment or partial segment by file name with a buffer reference the
     * caller owns, or empty when unknown, not there yet or already freed.
     */
    public Optional<SegmentContent> lowLatencySegment(String name) {
        return fmp4 == null ? Optional.empty() : fmp4.content(name, allocator);
    }

    /** Content-Type of the fMP4 rendition's files. */
    public String lowLatencyContentType() {
        return "video/mp4";
    }

    /** The Low-Latency part target, ms (0 without the rendition). */
    public long partTargetMs() {
        return fmp4 == null ? 0 : fmp4.partTargetMs();
    }

    /**
     * Calls {@code listener} on the packaging thread after each change of the Low-Latency playlist (a new
     * part or segment: what blocking reloads and blocking part requests wait for); it must not block.
     */
    public void addLowLatencyListener(Runnable listener) {
        if (fmp4 != null) {
            fmp4.addListener(listener);
        }
    }

    public void removeLowLatencyListener(Runnable listener) {
        if (fmp4 != null) {
            fmp4.removeListener(listener);
        }
    }

    /** Figures for metrics. */
    public HlsRoomSnapshot snapshot() {
        SegmentStore.Figures figures = store.figures();
        return new HlsRoomSnapshot(roomId, figures.produced(), figures.producedBytes(), figures.listed(), figures.listedBytes(),
                figures.held(), figures.memory(), figures.targetDuration(), figures.ended(), framesSkipped,
                diskFailures.getAsLong());
    }

    /** Marks the room failed: readers get {@code reason} instead of playlists from now on. */
    void fail(String reason) {
        startHoldMs = 0;
        failure = reason;
        playlists = null;
    }

    /** Bytes of memory the segments of both renditions take (the snapshot's figure counts MPEG-TS only). */
    long segmentMemory() {
        return store.figures().memory() + (fmp4 == null ? 0 : fmp4.store().figures().memory());
    }

    /**
     * What the multivariant playlist says of this packaging's stream (codecs, resolution, frame rate, measured bit
     * rates), as of its latest playlist; empty before the first segment.
     */
    public Optional<VariantInfo> variant() {
        return Optional.ofNullable(variant);
    }

    void variant(VariantInfo current) {
        variant = current;
    }

    void publish(Playlists next, long skipped) {
        framesSkipped = skipped;
        playlists = next;
        listeners.tell(listener -> listener.accept(next));
    }
}
