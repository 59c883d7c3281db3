package fluxrelay.stream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** The live streams by (room, feed): one hub per feed of a room and per rendition of its program, made on first use. */
public final class StreamRegistry implements AutoCloseable {

    private final StreamLimits limits;
    private final Map<FeedId, LiveStream> streams = new ConcurrentHashMap<>();
    private volatile Consumer<LiveStream> created = hub -> { };
    private volatile Consumer<LiveStream> renditionCreated = hub -> { };
    private volatile Consumer<LiveStream> programCreated = hub -> { };

    public StreamRegistry(StreamLimits limits) {
        this.limits = limits;
    }

    /** The feed's hub, created when first asked for; the listener hears of every input hub made. */
    public LiveStream stream(FeedId id, boolean autoLive) {
        LiveStream existing = streams.get(id);
        if (existing != null) {
            return existing;
        }
        boolean[] made = new boolean[1];
        LiveStream hub = streams.computeIfAbsent(id, key -> {
            made[0] = true;
            return new LiveStream(key, autoLive, limits);
        });
        if (made[0] && id.isInput()) {
            created.accept(hub);
        } else if (made[0] && id.isRendition()) {
            renditionCreated.accept(hub);
        } else if (made[0]) {
            programCreated.accept(hub);
        }
        return hub;
    }

    /** Who hears of each program hub as it is made (what makes renditions of it); set once while the server is built. */
    public void onProgramCreated(Consumer<LiveStream> listener) {
        this.programCreated = listener;
    }

    /**
     * Adds who hears of each rendition hub as it is made (the HLS packager, which packages every rendition like the
     * program; the ladder, which stays off while a rendition stream name publishes); called while the server is built.
     */
    public void onRenditionCreated(Consumer<LiveStream> listener) {
        this.renditionCreated = this.renditionCreated.andThen(listener);
    }

    /** The rendition hubs of a room's program, sorted by rendition id. */
    public List<LiveStream> renditions(String roomId) {
        return streams.values().stream().filter(s -> s.feedId().isRendition() && s.feedId().room().equals(roomId))
                .sorted(java.util.Comparator.comparing(s -> s.feedId().rendition())).toList();
    }

    /**
     * Who hears of each input hub as it is made (the program switches, which tap inputs to feed the room's program);
     * set once while the server is built, before any hub exists.
     */
    public void onInputCreated(Consumer<LiveStream> listener) {
        this.created = listener;
    }

    /** The room's program hub (what its viewer URLs play), created when first asked for. */
    public LiveStream stream(String roomId, boolean autoLive) {
        return stream(FeedId.program(roomId), autoLive);
    }

    /** The feed's hub if one exists. */
    public Optional<LiveStream> find(FeedId id) {
        return Optional.ofNullable(streams.get(id));
    }

    /** The room's program hub if one exists. */
    public Optional<LiveStream> find(String roomId) {
        return find(FeedId.program(roomId));
    }

    /** The hubs of every feed of a room that has one. */
    public List<LiveStream> ofRoom(String roomId) {
        return streams.values().stream().filter(s -> s.feedId().room().equals(roomId)).toList();
    }

    /** Ends and forgets one feed's hub (feed removed). */
    public void remove(FeedId id, String reason) {
        LiveStream stream = streams.remove(id);
        if (stream != null) {
            stream.close(reason);
        }
    }

    /** Ends and forgets the hubs of every feed of a room (room deleted). */
    public void removeRoom(String roomId, String reason) {
        for (FeedId id : List.copyOf(streams.keySet())) {
            if (id.room().equals(roomId)) {
                remove(id, reason);
            }
        }
    }

    /** Every hub. */
    public Collection<LiveStream> all() {
        return List.copyOf(streams.values());
    }

    @Override
    public void close() {
        for (FeedId id : List.copyOf(streams.keySet())) {
            remove(id, "The server is shutting down.");
        }
    }
}
