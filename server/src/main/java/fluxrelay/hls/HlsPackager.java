package fluxrelay.hls;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages every attached room to HLS while it has a publisher: one {@link RoomPackager} per room,
 * subscribed to the room's hub.
 *
 * <p>Threads: rooms share a small pool of packaging threads, each room pinned to one so its frames stay in
 * order. TS muxing never blocks but is CPU work per byte of video; keeping it off the I/O event loops means
 * the viewers' fan-out never waits for it however many rooms are packaged, and the thread count does not
 * grow with the number of rooms. Disk writes, when enabled, go to one more thread of their own.
 *
 * <p>Faults: a room whose packaging throws stops packaging alone (its HLS answers with the reason, the
 * failure is counted) and starts afresh when its stream starts again; the shared threads never see the
 * throw. {@link #healthy()} says whether the threads still run work, for the readiness probe.
 */
public final class HlsPackager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    private static final char[] NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** How long {@link #close()} waits for the packaging threads to end. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final PackagerSettings settings;
    private final ByteBufAllocator allocator;
    private final LongSupplier clock;
    private final EventExecutorGroup threads;
    private final Function<FeedId, ContainerWriter> tsWriters;
    private final DirectoryWriter disk;
    private final HlsContinuity continuity;
    private final Map<FeedId, RoomPackager> rooms = new ConcurrentHashMap<>();
    /**
     * The rendition ids packaged per room: {@link #renditions} is asked at every playlist answer (thousands a second
     * under Low-Latency HLS), so it looks up its room's few renditions instead of going through every room's feeds.
     */
    private final Map<String, Set<String>> renditionIds = new ConcurrentHashMap<>();
    /** Feeds answered by another feed's packaging (a one-input room's input: what its program plays). */
    private final Map<FeedId, FeedId> aliases = new ConcurrentHashMap<>();
    /** Per room: how the TS and fMP4 segments of its program and quality renditions line up. */
    private final Map<String, AlignedCuts[]> alignments = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final LongAdder failures = new LongAdder();
    private final RoomPackager.Owner owner = new RoomPackager.Owner() {
        @Override
        public void failed(RoomPackager packager) {
            failures.increment();
        }

        @Override
        public void restart(RoomPackager failed) {
            replace(failed);
        }

        @Override
        public void closed(RoomPackager packager) {
            rooms.remove(packager.feedId(), packager);
            forgetRendition(packager.feedId());
        }
    };
    private volatile boolean closed;

    /**
     * @param directory also write segments and playlists there, or null for memory only
     */
    public HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator) {
        this(settings, directory, allocator, System::currentTimeMillis);
    }

    /**
     * @param continuity where a feed's numbering goes on from after another node packaged it, and where each segment's
     *                   position is told ({@link HlsContinuity#NONE} on a single node)
     */
    public HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator,
                       HlsContinuity continuity) {
        this(settings, directory, allocator, System::currentTimeMillis,
                new DefaultEventExecutorGroup(settings.threads(), new DefaultThreadFactory("hls-packager", true)),
                feed -> new TsWriter(allocator), continuity);
    }

    HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator, LongSupplier clock) {
        this(settings, directory, allocator, clock,
                new DefaultEventExecutorGroup(settings.threads(), new DefaultThreadFactory("hls-packager", true)),
                feed -> new TsWriter(allocator));
    }

    /**
     * @param threads the packaging threads (closed with the packager)
     * @param tsWriters makes each feed's MPEG-TS writer
     */
    HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator, LongSupplier clock,
                EventExecutorGroup threads, Function<FeedId, ContainerWriter> tsWriters) {
        this(settings, directory, allocator, clock, threads, tsWriters, HlsContinuity.NONE);
    }

    HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator, LongSupplier clock,
                EventExecutorGroup threads, Function<FeedId, ContainerWriter> tsWriters, HlsContinuity continuity) {
        this.continuity = continuity;
        this.settings = settings;
        this.allocator = allocator;
        this.clock = clock;
        this.threads = threads;
        this.tsWriters = tsWriters;
        this.disk = directory == null ? null : new DirectoryWriter(directory);
    }

    /** Starts packaging a feed to the default renditions (idempotent): from now on each publish in it becomes HLS. */
    public void attach(LiveStream stream) {
        attach(stream, settings.fmp4() ? HlsRenditions.BOTH : HlsRenditions.TS);
    }

    /**
     * Starts packaging a feed to {@code renditions} (idempotent: a feed already attached keeps its renditions).
     * A packager left from an earlier hub of the same feed (the room was deleted and made again) is replaced.
     */
    public void attach(LiveStream stream, HlsRenditions renditions) {
        if (closed) {
            return;
        }
        RoomPackager[] stale = new RoomPackager[1];
        rooms.compute(stream.feedId(), (id, current) -> {
            if (current != null && current.stream() == stream) {
                return current;
            }
            stale[0] = current;
            return newPackager(stream, renditions);
        });
        if (stale[0] != null) {
            stale[0].close(false);
        }
        FeedId feed = stream.feedId();
        if (feed.isRendition()) {
            renditionIds.computeIfAbsent(feed.room(), room -> ConcurrentHashMap.newKeySet()).add(feed.rendition());
        }
    }

    /** Drops a rendition from its room's ids once no packager has it (one attached again meanwhile stays). */
    private void forgetRendition(FeedId feed) {
        if (feed.isRendition()) {
            renditionIds.computeIfPresent(feed.room(), (room, ids) -> {
                if (!rooms.containsKey(feed)) {
                    ids.remove(feed.rendition());
                }
                return ids.isEmpty() ? null : ids;
            });
        }
    }

    /**
     * A packager for a feed. A room's program and its quality renditions are packaged on one thread, the program's
     * cuts leading the renditions' ({@link AlignedCuts}), so that their segments start at the same times.
     */
    private RoomPackager newPackager(LiveStream stream, HlsRenditions renditions) {
        FeedId id = stream.feedId();
        RoomPackager program = id.isRendition() ? rooms.get(FeedId.program(id.room())) : null;
        EventExecutor thread = program != null ? program.executor() : threads.next();
        RoomPackager packager = new RoomPackager(stream, thread, settings, renditions, tsWriters.apply(id),
                allocator, disk, namePrefix(), clock, owner, continuity);
        if (id.isProgram() || id.isRendition()) {
            AlignedCuts[] cuts = alignments.computeIfAbsent(id.room(), room -> new AlignedCuts[] {new AlignedCuts(),
                    new AlignedCuts()});
            packager.align(cuts[0], cuts[1], id.isRendition());
        }
        packager.start();
        return packager;
    }

    /**
     * The HLS outputs of a room's quality renditions that have playlists now, by rendition id (sorted): what the room's
     * multivariant playlist lists beside the program.
     */
    public java.util.SortedMap<String, HlsRoom> renditions(String roomId) {
        java.util.SortedMap<String, HlsRoom> out = new java.util.TreeMap<>();
        Set<String> ids = renditionIds.get(roomId);
        if (ids == null) {
            return out;
        }
        for (String rendition : ids) {
            RoomPackager packager = rooms.get(FeedId.rendition(roomId, rendition));
            if (packager != null && packager.stream().snapshot().publishing()
                    && packager.room().playlists().isPresent() && packager.room().failure().isEmpty()) {
                out.put(rendition, packager.room());
            }
        }
        return out;
    }

    /** A fresh packager for a failed one whose stream started again (runs on the failed one's thread). */
    private void replace(RoomPackager failed) {
        if (closed) {
            return;
        }
        boolean[] replaced = new boolean[1];
        rooms.computeIfPresent(failed.feedId(), (id, current) -> {
            if (current != failed) {
                return current;
            }
            replaced[0] = true;
            return newPackager(failed.stream(), failed.renditions());
        });
        if (replaced[0]) {
            failed.close(false);
            log.info("room {}: HLS packaging starts afresh after a failure", failed.feedId());
        }
    }

    /** Stops packaging a feed and frees its segments and files (feed or room deleted); its URLs answer 404 from now on. */
    public void detach(FeedId feed) {
        detach(feed, false);
    }

    private void detach(FeedId feed, boolean keepDisk) {
        if (feed.isProgram()) {
            alignments.remove(feed.room());
        }
        RoomPackager packager = rooms.remove(feed);
        forgetRendition(feed);
        if (packager != null) {
            packager.close(keepDisk);
        }
    }

    /** A feed's HLS output, if the feed (or the feed it is an alias of) is attached. */
    public Optional<HlsRoom> room(FeedId feed) {
        RoomPackager packager = rooms.get(feed);
        if (packager == null) {
            FeedId same = aliases.get(feed);
            packager = same == null ? null : rooms.get(same);
        }
        return packager == null ? Optional.empty() : Optional.of(packager.room());
    }

    /**
     * Answers {@code feed}'s URLs with {@code same}'s packaging instead of packaging it too (a room with one input: its
     * program is that input), and stops packaging {@code feed} if it was.
     */
    public void alias(FeedId feed, FeedId same) {
        detach(feed);
        aliases.put(feed, same);
    }

    /** Undoes {@link #alias}: {@code feed} is packaged on its own again once attached. */
    public void unalias(FeedId feed) {
        aliases.remove(feed);
    }

    /** The HLS output of a room's program (what its URLs play), if attached. */
    public Optional<HlsRoom> room(String roomId) {
        return room(FeedId.program(roomId));
    }

    /** Figures of every attached room. */
    public List<HlsRoomSnapshot> snapshot() {
        List<HlsRoomSnapshot> all = new ArrayList<>();
        rooms.values().forEach(packager -> all.add(packager.room().snapshot()));
        return all;
    }

    /** Rooms whose packaging failed since start (each failure ends that room's packaging until its stream restarts). */
    public long failures() {
        return failures.sum();
    }

    /**
     * True while every packaging thread can run work: false once one has ended (it can take no more tasks,
     * so the rooms pinned to it would get no HLS and their publishes no packaging) or the packager is closed.
     */
    public boolean healthy() {
        if (closed) {
            return false;
        }
        for (EventExecutor thread : threads) {
            if (thread.isShuttingDown()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Segment names start with a random prefix per room and server run, so a name is never reused for other
     * bytes, even across restarts, and segments can be cached as immutable.
     */
    private String namePrefix() {
        char[] prefix = new char[8];
        for (int i = 0; i < prefix.length; i++) {
            prefix[i] = NAME_CHARS[random.nextInt(NAME_CHARS.length)];
        }
        return new String(prefix) + "-";
    }

    /**
     * Ends every room's playlists ({@code EXT-X-ENDLIST}) and detaches it, then stops the threads, waiting at most
     * {@value #CLOSE_WAIT_SECONDS} s for them. The directory, if any, keeps each room's ended playlists and the
     * segment files they list.
     */
    @Override
    public void close() {
        closed = true;
        for (FeedId feed : List.copyOf(rooms.keySet())) {
            detach(feed, true);
        }
        if (!threads.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
            log.warn("HLS packaging threads still busy after {} s; not waiting for them", CLOSE_WAIT_SECONDS);
        }
        if (disk != null) {
            disk.close();
        }
        log.debug("HLS packager stopped");
    }
}
