package fluxrelay.admin;

import fluxrelay.rooms.Room;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single node's rooms persistence: the rooms it holds, their own bandwidth settings and the configured rooms
 * deleted at runtime, written whole to the {@link RoomsFile} (off the event loops) after every change, or kept in
 * memory only when no file is configured.
 */
public final class RoomsFilePersistence implements RoomPersistence {

    private static final Logger log = LoggerFactory.getLogger(RoomsFilePersistence.class);

    private final RoomsFile file;
    private final Executor disk;
    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<String, BandwidthChoice> own = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    /**
     * @param file where changes persist, or null for none
     * @param disk where blocking file writes run
     * @param initial the rooms the server starts with
     * @param initialOwn their own bandwidth settings, by room id
     */
    public RoomsFilePersistence(RoomsFile file, Executor disk, Collection<Room> initial, Map<String, BandwidthChoice> initialOwn) {
        this.file = file;
        this.disk = disk;
        initial.forEach(room -> rooms.put(room.id(), room));
        initialOwn.forEach((id, choice) -> {
            if (!choice.isEmpty()) {
                own.put(id, choice);
            }
        });
    }

    /** Remembers configured rooms deleted in an earlier run, so the next save keeps them deleted. */
    public void restoreDeleted(Collection<String> ids) {
        deleted.addAll(ids);
    }

    @Override
    public CompletableFuture<Void> save(Room room, BandwidthChoice choice) {
        rooms.put(room.id(), room);
        deleted.remove(room.id());
        if (choice.isEmpty()) {
            own.remove(room.id());
        } else {
            own.put(room.id(), choice);
        }
        return write();
    }

    @Override
    public CompletableFuture<Void> delete(String id) {
        rooms.remove(id);
        own.remove(id);
        deleted.add(id);
        return write();
    }

    @Override
    public BandwidthChoice own(String id) {
        return own.getOrDefault(id, BandwidthChoice.NONE);
    }

    /** Writes the whole state as it is when the write runs; completes once it is on disk (at once without a file). */
    private CompletableFuture<Void> write() {
        if (file == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.runAsync(() -> {
            try {
                synchronized (file) {
                    file.save(List.copyOf(rooms.values()), Map.copyOf(own), Set.copyOf(deleted));
                }
            } catch (IOException e) {
                log.error("admin: cannot write rooms file {}: {}", file.path(), e.toString());
                throw new UncheckedIOException(e);
            }
        }, disk);
    }
}
