package fluxrelay.cluster;

import fluxrelay.admin.AdminException;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.RoomPersistence;
import fluxrelay.rooms.Binding;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.PublishDecision;
import fluxrelay.rooms.PublishGate;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomStore;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's rooms: kept in Redis (hash {@value #ROOMS}, room id to {@link StoredRoom} JSON), read from a local
 * copy that every node keeps current. A write is stored in Redis and announced on {@value #CHANGES} (the message is
 * the room id); every node then reads that room again, so a change reaches all nodes within a round trip. The whole
 * hash is read again whenever the node (re)connects, so changes missed while away are caught up.
 *
 * <p>Readers (publish and play admission) only touch the local copy and keep working while Redis is down; writes
 * fail then with a 503 {@link AdminException} and change nothing. Changes are applied to the local copy by the
 * {@link ChangeListener} (the admin, which also starts packagers and ends publishers); until one is set, directly.
 *
 * <p>A node that started while Redis was down knows no rooms until the first full reload: until then every
 * application is accepted at connect and a publish to a key it does not know is refused saying why
 * ({@link #gate}), rather than as a wrong key.
 */
public final class RedisRoomStore implements RoomStore, RoomPersistence {

    /** The hash of rooms. */
    public static final String ROOMS = "fluxrelay:rooms";
    /** The channel announcing a changed room's id. */
    public static final String CHANGES = "fluxrelay:rooms:changes";
    /** What a write answers when Redis cannot be reached. */
    static final String UNREACHABLE = "the room store (Redis) is unreachable: the change was not saved, retry when it is back";

    /** What an encoder is told when its key is not known because the rooms have not been loaded yet. */
    static final String NOT_LOADED = "This server has not loaded its rooms yet: the room store is unreachable. "
            + "Try again in a moment.";

    /** Applies a stored room (null: deleted) to the node. */
    public interface ChangeListener {
        void changed(String id, Room room, BandwidthChoice own);
    }

    private static final Logger log = LoggerFactory.getLogger(RedisRoomStore.class);

    private final RedisLink redis;
    private final InMemoryRoomRegistry local;
    private final Map<String, BandwidthChoice> own = new ConcurrentHashMap<>();
    private volatile ChangeListener listener = this::applyLocally;
    private volatile Runnable reloaded = () -> { };
    private volatile boolean loaded;

    /**
     * @param redis the node's connection; this store subscribes to {@value #CHANGES} and reloads on every connect
     * @param local the node's copy that readers read
     */
    public RedisRoomStore(RedisLink redis, InMemoryRoomRegistry local) {
        this.redis = redis;
        this.local = local;
        redis.subscribe(CHANGES, this::refresh);
        redis.onConnected(this::reload);
    }

    /** Who applies stored changes to this node (the admin); set before the link starts. */
    public void onChange(ChangeListener listener) {
        this.listener = listener;
    }

    /** Told after every full reload (tests and health wait on it). */
    public void onReload(Runnable reloaded) {
        this.reloaded = reloaded;
    }

    /** Applies a change to the local copy only: the default listener. */
    private void applyLocally(String id, Room room, BandwidthChoice choice) {
        if (room == null) {
            local.remove(id);
        } else {
            local.put(room);
        }
    }

    // Writes (RoomPersistence): acknowledged by Redis before they complete.

    @Override
    public CompletableFuture<Void> save(Room room, BandwidthChoice choice) {
        String json = StoredRoom.of(room, choice).json();
        return redis.call(c -> c.hset(ROOMS, room.id(), json))
                .thenCompose(v -> announce(room.id()))
                .thenRun(() -> remember(room.id(), choice))
                .exceptionallyCompose(RedisRoomStore::unreachable);
    }

    /** Adds the room only when no node holds its id yet (HSETNX); otherwise fails with 409. */
    @Override
    public CompletableFuture<Void> create(Room room, BandwidthChoice choice) {
        String json = StoredRoom.of(room, choice).json();
        return redis.call(c -> c.hsetnx(ROOMS, room.id(), json))
                .exceptionallyCompose(RedisRoomStore::unreachable)
                .thenCompose(added -> {
                    if (!added) {
                        return CompletableFuture.failedFuture(new AdminException(409, "id", "room '" + room.id() + "' already exists"));
                    }
                    return announce(room.id()).thenRun(() -> remember(room.id(), choice)).exceptionallyCompose(RedisRoomStore::unreachable);
                });
    }

    @Override
    public CompletableFuture<Void> delete(String id) {
        return redis.call(c -> c.hdel(ROOMS, id))
                .thenCompose(v -> announce(id))
                .thenRun(() -> own.remove(id))
                .exceptionallyCompose(RedisRoomStore::unreachable);
    }

    @Override
    public BandwidthChoice own(String id) {
        return own.getOrDefault(id, BandwidthChoice.NONE);
    }

    private CompletableFuture<Void> announce(String id) {
        return redis.call(c -> c.publish(CHANGES, id)).thenApply(n -> null);
    }

    private static <T> CompletableFuture<T> unreachable(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        log.warn("cluster: room change not stored: {}", cause.getMessage());
        return CompletableFuture.failedFuture(AdminException.unavailable(UNREACHABLE));
    }

    private void remember(String id, BandwidthChoice choice) {
        if (choice.isEmpty()) {
            own.remove(id);
        } else {
            own.put(id, choice);
        }
    }

    // Keeping the local copy current.

    /** Reads one room again after a change announcement. */
    private void refresh(String id) {
        redis.call(c -> c.hget(ROOMS, id)).whenComplete((json, error) -> {
            if (error != null) {
                log.warn("cluster: cannot read changed room {}: {} (the next reconnect reloads)", id, error.getMessage());
            } else {
                apply(id, json);
            }
        });
    }

    /** Reads every room again, removing the ones gone from Redis. */
    public CompletableFuture<Void> reload() {
        return redis.call(c -> c.hgetall(ROOMS)).thenAccept(all -> {
            Set<String> gone = new HashSet<>();
            local.all().forEach(room -> gone.add(room.id()));
            all.forEach((id, json) -> {
                gone.remove(id);
                apply(id, json);
            });
            gone.forEach(id -> apply(id, null));
            log.info("cluster: {} rooms loaded from Redis", all.size());
            loaded = true;
            reloaded.run();
        }).whenComplete((v, error) -> {
            if (error != null) {
                log.warn("cluster: cannot load rooms from Redis: {}", error.getMessage());
            }
        });
    }

    private void apply(String id, String json) {
        Room room = null;
        BandwidthChoice choice = BandwidthChoice.NONE;
        if (json != null) {
            try {
                StoredRoom stored = StoredRoom.parse(json);
                room = stored.room();
                choice = stored.own();
            } catch (IllegalArgumentException e) {
                log.warn("cluster: room {} in Redis is not valid and was skipped: {}", id, e.getMessage());
                return;
            }
        }
        remember(id, choice);
        listener.changed(id, room, choice);
    }

    // Reads and local writes (RoomStore): the local copy.

    /** Changes the local copy only (the admin applies stored changes through it); other nodes are not told. */
    @Override
    public void put(Room room) {
        local.put(room);
    }

    /** Changes the local copy only; other nodes are not told. */
    @Override
    public Optional<Room> remove(String id) {
        return local.remove(id);
    }

    @Override
    public Optional<Binding> findBinding(String app, String streamName) {
        return local.findBinding(app, streamName);
    }

    @Override
    public Optional<Room> findByPlaybackName(String app, String playbackName) {
        return local.findByPlaybackName(app, playbackName);
    }

    @Override
    public Optional<Room> findById(String id) {
        return local.findById(id);
    }

    /** True once the rooms have been loaded from Redis (they may be stale while it is down since). */
    public boolean loaded() {
        return loaded;
    }

    /**
     * {@code decider}, except that before the first load a key it does not know is refused as {@value #NOT_LOADED}
     * (reason {@code rooms_not_loaded}).
     */
    public PublishGate gate(PublishGate decider) {
        return request -> decider.decide(request).thenApply(decision -> {
            if (!loaded && decision instanceof PublishDecision.Denied denied
                    && (denied.reason().equals("unknown_stream_name") || denied.reason().equals("wrong_app"))) {
                return new PublishDecision.Denied("rooms_not_loaded", NOT_LOADED);
            }
            return decision;
        });
    }

    /** Every application before the first load (the publish is then refused with {@link #NOT_LOADED}). */
    @Override
    public boolean hasApp(String app) {
        return !loaded || local.hasApp(app);
    }

    @Override
    public Collection<Room> all() {
        return local.all();
    }

    /** The ids of the rooms in the local copy (tests). */
    List<String> ids() {
        return local.all().stream().map(Room::id).sorted().toList();
    }
}
