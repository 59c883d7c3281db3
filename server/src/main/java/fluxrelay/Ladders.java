package fluxrelay;

import fluxrelay.config.LadderConfig;
import fluxrelay.config.RoomConfig;
import fluxrelay.ingest.InternalPublishes;
import fluxrelay.ladder.LadderSignature;
import fluxrelay.ladder.LadderSnapshot;
import fluxrelay.ladder.LadderSupervisor;
import fluxrelay.ladder.Rung;
import fluxrelay.metrics.LadderMetrics;
import fluxrelay.metrics.RelayMetrics;
import fluxrelay.playback.InternalPlays;
import fluxrelay.rooms.RenditionInputs;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.StreamRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Composes the server-side ladder: its supervisor, the signature that admits its own loopback plays and publishes, and
 * its metrics. Each room's rungs are read from the rooms as they are now (the config file, the rooms file, the admin
 * API), so a ladder set at runtime runs without a restart. Kept out of {@link RelayServer} so the composition root stays
 * readable.
 */
final class Ladders implements AutoCloseable {

    final LadderSupervisor supervisor;
    final LadderSignature signature;

    private final LadderMetrics metrics;
    private final RoomRegistry rooms;

    private Ladders(LadderSupervisor supervisor, LadderSignature signature, LadderMetrics metrics, RoomRegistry rooms) {
        this.supervisor = supervisor;
        this.signature = signature;
        this.metrics = metrics;
        this.rooms = rooms;
    }

    /** A room's ladder changed (through the admin API, here or on another node): applied, and measured if it has one. */
    void changed(String roomId) {
        supervisor.changed(roomId);
        if (!rungs(rooms, roomId).isEmpty()) {
            metrics.room(roomId);
        }
    }

    /**
     * The ladder of the rooms, or null when the RTMP listener is on an address the ladder's processes cannot reach over
     * loopback and no configured room has a ladder (rooms then cannot have one).
     *
     * @throws IllegalStateException when a configured room has a ladder and the listener is not on loopback
     */
    static Ladders create(List<RoomConfig> configured, LadderConfig c, String rtmpHost, IntSupplier rtmpPort,
                          RoomRegistry rooms, StreamRegistry streams, RenditionInputs renditionInputs, RelayMetrics metrics,
                          int maxRoomLabels) {
        List<String> configuredLadders = configured.stream().filter(r -> !r.ladder().isEmpty()).map(RoomConfig::id).toList();
        String host;
        try {
            host = loopback(rtmpHost);
        } catch (IllegalStateException e) {
            if (!configuredLadders.isEmpty()) {
                throw e;
            }
            return null;
        }
        LadderSignature signature = new LadderSignature(Clock.systemUTC());
        LadderSupervisor supervisor = new LadderSupervisor(new LadderSupervisor.Settings(c.ffmpeg(), c.preset(),
                c.maxProcesses(), c.restartMin(), c.restartMax(), host, rtmpPort), roomId -> rungs(rooms, roomId), rooms,
                streams, renditionInputs::of, signature);
        // The rooms with a ladder now: the configuration's, and the rooms file's (or the cluster store's) loaded already.
        List<String> withLadder = rooms.all().stream().filter(r -> !r.ladder().isEmpty()).map(r -> r.id()).sorted().toList();
        LadderMetrics ladderMetrics = new LadderMetrics(supervisor, withLadder, maxRoomLabels);
        metrics.bind(ladderMetrics);
        return new Ladders(supervisor, signature, ladderMetrics, rooms);
    }

    /** A room's rungs as the room is now; none for a room without a ladder or gone. */
    private static List<Rung> rungs(RoomRegistry rooms, String roomId) {
        return rooms.findById(roomId).map(room -> room.ladder().stream()
                .map(r -> new Rung(r.id(), r.height(), r.videoKbps(), r.audioKbps())).toList()).orElse(List.of());
    }

    /**
     * The address the ladder's processes reach this server's RTMP listener at: 127.0.0.1 (or ::1) when it listens on
     * every address or a loopback one. A listener bound to another address only is refused: the ladder's publishes are
     * admitted from loopback addresses only.
     */
    static String loopback(String host) {
        String h = host.trim();
        if (h.isEmpty() || h.equals("0.0.0.0") || h.equals("localhost") || h.startsWith("127.")) {
            return "127.0.0.1";
        }
        if (h.equals("::") || h.equals("::1") || h.equals("[::]") || h.equals("[::1]")) {
            return "[::1]";
        }
        throw new IllegalStateException("relay.rtmp.host is " + host + ": a room's ladder needs the RTMP listener on a "
                + "loopback address or every address (0.0.0.0), since its ffmpeg reads and publishes over loopback");
    }

    /** The internal plays the node admits: the cluster's pulls and the ladder's own. */
    InternalPlays plays(InternalPlays cluster) {
        return InternalPlays.either(cluster, signature, LadderSignature::owns);
    }

    InternalPublishes publishes() {
        return signature;
    }

    /** A room's ladder for its admin view, or null when it has none. */
    Map<String, Object> view(String roomId) {
        return supervisor.snapshot(roomId).map(Ladders::view).orElse(null);
    }

    private static Map<String, Object> view(LadderSnapshot s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("state", s.state());
        view.put("pid", s.pid() == 0 ? null : s.pid());
        view.put("renditions", s.rungs());
        view.put("skipped", s.skipped());
        view.put("restarts", s.restarts());
        view.put("lastError", s.lastError());
        view.put("cpuSeconds", Math.round(s.cpuSeconds() * 10) / 10.0);
        return view;
    }

    @Override
    public void close() {
        supervisor.close();
    }
}
