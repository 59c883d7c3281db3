package fluxrelay.hls;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 */
public final class HlsPackager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HlsPackager.class);
    private static final char[] NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final PackagerSettings settings;
    private final ByteBufAllocator allocator;
    private final LongSupplier clock;
    private final EventExecutorGroup threads;
    private final DirectoryWriter disk;
    private final Map<FeedId, RoomPackager> rooms = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    /**
     * @param directory also write segments and playlists there, or null for memory only
     */
    public HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator) {
        this(settings, directory, allocator, System::currentTimeMillis);
    }

    HlsPackager(PackagerSettings settings, DirectorySettings directory, ByteBufAllocator allocator, LongSupplier clock) {
        this.settings = settings;
        this.allocator = allocator;
        this.clock = clock;
        this.threads = new DefaultEventExecutorGroup(settings.threads(), new DefaultThreadFactory("hls-packager", true));
        this.disk = directory == null ? null : new DirectoryWriter(directory);
    }

    /** Starts packaging a feed to the default renditions (idempotent): from now on each publish in it becomes HLS. */
    public void attach(LiveStream stream) {
        attach(stream, settings.fmp4() ? HlsRenditions.BOTH : HlsRenditions.TS);
    }

    /** Starts packaging a feed to {@code renditions} (idempotent: a feed already attached keeps its renditions). */
    public void attach(LiveStream stream, HlsRenditions renditions) {
        if (closed) {
            return;
        }
        rooms.computeIfAbsent(stream.feedId(), id -> {
            RoomPackager packager = new RoomPackager(stream, threads.next(), settings, renditions, allocator, disk, namePrefix(),
                    clock);
            packager.start();
            return packager;
        });
    }

    /** Stops packaging a feed and frees its segments (feed or room deleted); its URLs answer 404 from now on. */
    public void detach(FeedId feed) {
        RoomPackager packager = rooms.remove(feed);
        if (packager != null) {
            packager.close();
        }
    }

    /** A feed's HLS output, if the feed is attached. */
    public Optional<HlsRoom> room(FeedId feed) {
        RoomPackager packager = rooms.get(feed);
        return packager == null ? Optional.empty() : Optional.of(packager.room());
    }

    /** The HLS output of a room's main feed, if attached. */
    public Optional<HlsRoom> room(String roomId) {
        return room(FeedId.main(roomId));
    }

    /** Figures of every attached room. */
    public List<HlsRoomSnapshot> snapshot() {
        List<HlsRoomSnapshot> all = new ArrayList<>();
        rooms.values().forEach(packager -> all.add(packager.room().snapshot()));
        return all;
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

    @Override
    public void close() {
        closed = true;
        for (FeedId feed : List.copyOf(rooms.keySet())) {
            detach(feed);
        }
        threads.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (disk != null) {
            disk.close();
        }
        log.debug("HLS packager stopped");
    }
}
