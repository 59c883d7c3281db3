package fluxrelay.stream;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The live streams by room id: one hub per room, made on first use. */
public final class StreamRegistry implements AutoCloseable {

    private final StreamLimits limits;
    private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();

    public StreamRegistry(StreamLimits limits) {
        this.limits = limits;
    }

    /** The room's hub, created when first asked for. */
    public LiveStream stream(String roomId, boolean autoLive) {
        return streams.computeIfAbsent(roomId, id -> new LiveStream(id, autoLive, limits));
    }

    /** The room's hub if one exists. */
    public Optional<LiveStream> find(String roomId) {
        return Optional.ofNullable(streams.get(roomId));
    }

    /** Ends and forgets a room's hub (room deleted). */
    public void remove(String roomId, String reason) {
        LiveStream stream = streams.remove(roomId);
        if (stream != null) {
            stream.close(reason);
        }
    }

    /** Every hub. */
    public Collection<LiveStream> all() {
        return List.copyOf(streams.values());
    }

    @Override
    public void close() {
        for (String roomId : List.copyOf(streams.keySet())) {
            remove(roomId, "The server is shutting down.");
        }
    }
}
