package fluxrelay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * A room's fMP4 Low-Latency HLS rendition beside its MPEG-TS one: its own segmenter (same keyframe cuts,
 * plus partial segments of at most the part target), segment store and playlist, and the initialization
 * segments the playlist maps. Fed and published on the room's packaging thread; read from any thread.
 * With a {@link Files} mirror, every file (initialization segments, parts, segments, {@code ll.m3u8}) is also
 * handed to it, each before the playlist that lists it, and removed when it leaves memory.
 */
final class Fmp4Rendition implements Segmenter.Output, AutoCloseable {

    /** Where the rendition's files are mirrored (the room's folder of {@code relay.hls.directory}). */
    interface Files {
        /** A file's bytes (taking over {@code data}'s reference). */
        void write(String name, ByteBuf data);

        /** The playlist, rewritten whole. */
        void playlist(String name, String text);

        /** A file that left memory. */
        void delete(String name);
    }

    /** Initialization segments kept: the current one and a few before it, for players still on older segments. */
    private static final int INITS_KEPT = 4;

    private final String namePrefix;
    private final long partTargetMs;
    private final LongSupplier clock;
    private final SegmentStore store;
    private final Fmp4Writer writer;
    private final Segmenter segmenter;
    private final Map<String, byte[]> inits = new LinkedHashMap<>();
    private final Map<Long, String> segmentMaps = new LinkedHashMap<>();
    private final Listeners<Runnable> listeners = new Listeners<>();
    private int configuration = -1;
    private String currentInit;
    private boolean openDiscontinuity;
    private volatile LowLatencyPlaylist playlist;
    private final Files files;
    private final ByteBufAllocator allocator;
    /** Parts each segment had, by segment name, so their files leave with it. */
    private final Map<String, Integer> partCounts = new java.util.HashMap<>();

    Fmp4Rendition(String roomId, PackagerSettings settings, ByteBufAllocator allocator, String namePrefix, LongSupplier clock) {
        this(roomId, settings, allocator, namePrefix, clock, null);
    }

    /** @param files the disk mirror, or null for memory only */
    Fmp4Rendition(String roomId, PackagerSettings settings, ByteBufAllocator allocator, String namePrefix, LongSupplier clock,
                  Files files) {
        this.namePrefix = namePrefix;
        this.partTargetMs = settings.partTarget().toMillis();
        this.clock = clock;
        this.files = files;
        this.allocator = allocator;
        this.store = new SegmentStore(settings.window(), settings.targetDurationSeconds(), clock, this::freed);
        this.writer = new Fmp4Writer(allocator);
        this.segmenter = new Segmenter(roomId, settings, writer, allocator, namePrefix, clock, this, partTargetMs);
    }

    Segmenter segmenter() {
        return segmenter;
    }

    SegmentStore store() {
        return store;
    }

    long partTargetMs() {
        return partTargetMs;
    }

    /** A publish starts. */
    void reopen() {
        store.reopen();
    }

    /**
     * After the segmenter's start: goes on from another packager's position when it is ahead. The dead packager may
     * have announced parts of the segment {@code start.mediaSequence()} already, so this rendition starts one further:
     * a player never sees that sequence number with other parts than those it loaded. The playlist is withdrawn until
     * the first segment of the new numbering (its own earlier segments no longer fit it).
     *
     * @return true when the numbering moved
     */
    boolean continueAt(HlsStart start) {
        if (start.mediaSequence() <= store.nextSequence()) {
            return false; // this packager's own position, or one it is past
        }
        HlsStart next = new HlsStart(start.mediaSequence() + 1, start.discontinuitySequence());
        if (!store.continueAt(next)) {
            return false;
        }
        segmenter.continueAt(next.mediaSequence());
        playlist = null;
        return true;
    }

    @Override
    public void part(long sequence, int index, Part part, boolean discontinuity) {
        noteInit();
        openDiscontinuity = discontinuity;
        String name = Segment.partName(segmentName(sequence), index);
        if (files != null) {
            files.write(name, part.data().retainedDuplicate());
        }
        store.appendPart(name, part);
        publish();
    }

    @Override
    public void segment(Segment segment, boolean independent) {
        noteInit();
        synchronized (segmentMaps) {
            segmentMaps.put(segment.info().sequence(), currentInit);
            while (segmentMaps.size() > 4 * store.figures().listed() + 8) {
                segmentMaps.remove(segmentMaps.keySet().iterator().next());
            }
        }
        if (files != null) {
            synchronized (partCounts) {
                partCounts.put(segment.info().name(), segment.parts().size());
            }
            files.write(segment.info().name(), segment.retainedData(allocator));
        }
        store.append(segment, independent);
        publish();
    }

    /** A segment left memory (under the store's lock): its file and its parts' files go too. */
    private void freed(SegmentInfo info) {
        if (files == null) {
            return;
        }
        Integer parts;
        synchronized (partCounts) {
            parts = partCounts.remove(info.name());
        }
        files.delete(info.name());
        for (int i = 0; parts != null && i < parts; i++) {
            files.delete(Segment.partName(info.name(), i));
        }
    }

    @Override
    public void ended() {
        store.end();
        publish();
    }

    private String segmentName(long sequence) {
        return namePrefix + sequence + "." + writer.extension();
    }

    /** Registers the writer's initialization segment under a new name whenever the tracks were configured anew. */
    private void noteInit() {
        if (writer.configurations() == configuration) {
            return;
        }
        configuration = writer.configurations();
        byte[] init = writer.initSegment();
        if (init == null) {
            return;
        }
        currentInit = namePrefix + "init-" + configuration + ".mp4";
        if (files != null) {
            files.write(currentInit, Unpooled.wrappedBuffer(init));
        }
        synchronized (inits) {
            inits.put(currentInit, init);
            while (inits.size() > INITS_KEPT) {
                String oldest = inits.keySet().iterator().next();
                inits.remove(oldest);
                if (files != null) {
                    files.delete(oldest);
                }
            }
        }
    }

    private void publish() {
        Optional<PlaylistView> base = store.view();
        if (base.isEmpty()) {
            return;
        }
        List<SegmentInfo> segments = base.get().segments();
        List<String> maps;
        synchronized (segmentMaps) {
            maps = segments.stream().map(s -> segmentMaps.getOrDefault(s.sequence(), currentInit)).toList();
        }
        long open = store.nextSequence();
        List<PartInfo> openParts = store.openParts();
        String hint = base.get().ended() ? null : Segment.partName(segmentName(open), openParts.size());
        LowLatencyView view = new LowLatencyView(base.get(), store.listedParts(), maps, open, openParts,
                !openParts.isEmpty() && openDiscontinuity, currentInit, hint, partTargetMs);
        String text = LowLatencyPlaylistWriter.media(view);
        playlist = new LowLatencyPlaylist(text, tag(text), clock.getAsLong(), view);
        if (files != null) {
            files.playlist(HlsRoom.LOW_LATENCY_PLAYLIST, text);
        }
        listeners.tell(Runnable::run);
    }

    Optional<LowLatencyPlaylist> playlist() {
        return Optional.ofNullable(playlist);
    }

    /** An initialization segment, part or segment by name, with a reference the caller owns. */
    Optional<SegmentContent> content(String name, ByteBufAllocator allocator) {
        byte[] init;
        synchronized (inits) {
            init = inits.get(name);
        }
        if (init != null) {
            return Optional.of(new SegmentContent(new SegmentInfo(0, name, 0, 0, false, 0, init.length, 0),
                    Unpooled.wrappedBuffer(init)));
        }
        return store.retain(name, allocator);
    }

    /** Names of the initialization segments held (the newest few). */
    List<String> initNames() {
        synchronized (inits) {
            return List.copyOf(inits.keySet());
        }
    }

    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    static String tag(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(text.length()) + "\"";
    }

    @Override
    public void close() {
        segmenter.close();
        store.close();
    }
}
