package fluxrelay.hls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

/**
 * A room's fMP4 Low-Latency HLS rendition beside its MPEG-TS one: its own segmenter (same keyframe cuts,
 * plus partial segments of at most the part target), segment store and playlist, and the initialization
 * segments the playlist maps. Fed and published on the room's packaging thread; read from any thread.
 */
final class Fmp4Rendition implements Segmenter.Output, AutoCloseable {

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
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int configuration = -1;
    private String currentInit;
    private boolean openDiscontinuity;
    private volatile LowLatencyPlaylist playlist;

    Fmp4Rendition(String roomId, PackagerSettings settings, ByteBufAllocator allocator, String namePrefix, LongSupplier clock) {
        this.namePrefix = namePrefix;
        this.partTargetMs = settings.partTarget().toMillis();
        this.clock = clock;
        this.store = new SegmentStore(settings.window(), settings.targetDurationSeconds(), clock, info -> { });
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

    @Override
    public void part(long sequence, int index, Part part, boolean discontinuity) {
        noteInit();
        openDiscontinuity = discontinuity;
        store.appendPart(Segment.partName(segmentName(sequence), index), part);
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
        store.append(segment, independent);
        publish();
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
        synchronized (inits) {
            inits.put(currentInit, init);
            while (inits.size() > INITS_KEPT) {
                inits.remove(inits.keySet().iterator().next());
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
        listeners.forEach(Runnable::run);
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
