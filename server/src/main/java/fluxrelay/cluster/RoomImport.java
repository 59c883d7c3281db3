package fluxrelay.cluster;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.rooms.Room;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one-shot import of a single node's rooms (config file and rooms file) into the cluster's store: each room
 * whose id Redis does not hold yet is added (set-if-absent, so running it twice or on two nodes changes nothing
 * more) and announced; rooms already there are left as they are.
 */
public final class RoomImport {

    /** What an import did: the room ids added and those skipped because Redis already held them. */
    public record Result(List<String> imported, List<String> skipped) {
    }

    private RoomImport() {
    }

    /**
     * Imports {@code rooms} with their own bandwidth settings through {@code redis} (connected), waiting for each write.
     *
     * @throws RedisLink.Unreachable when Redis does not answer
     */
    public static Result run(RedisLink redis, Collection<Room> rooms, Map<String, BandwidthChoice> own) throws InterruptedException {
        List<String> imported = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Room room : rooms) {
            String json = StoredRoom.of(room, own.getOrDefault(room.id(), BandwidthChoice.NONE)).json();
            boolean added = wait(redis.call(c -> c.hsetnx(RedisRoomStore.ROOMS, room.id(), json)));
            if (added) {
                wait(redis.call(c -> c.publish(RedisRoomStore.CHANGES, room.id())));
                imported.add(room.id());
            } else {
                skipped.add(room.id());
            }
        }
        return new Result(imported, skipped);
    }

    private static <T> T wait(java.util.concurrent.CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RedisLink.Unreachable u ? u : new RedisLink.Unreachable(e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new RedisLink.Unreachable("Redis did not answer within 30 s", e);
        }
    }
}
