package fluxrelay;

import fluxrelay.http.HlsPlayers;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.Viewer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This node's viewers of each room by protocol, as a cluster node's heartbeat carries them and the admin's room
 * views show them: RTMP and HTTP-FLV viewers of every feed of the room (other nodes' pulls left out) and HLS players.
 */
final class NodeViewers {

    /** The protocols, in the order the counts list them. */
    static final List<String> PROTOCOLS = List.of("rtmp", "http-flv", HlsPlayers.HLS, HlsPlayers.LL_HLS);

    private final StreamRegistry streams;
    private final HlsPlayers hls;

    /** @param hls the HLS players, or null when HLS is off */
    NodeViewers(StreamRegistry streams, HlsPlayers hls) {
        this.streams = streams;
        this.hls = hls;
    }

    /** One room's counts: every protocol, then {@code total}. */
    Map<String, Integer> of(String roomId) {
        Map<String, Integer> counts = new HashMap<>();
        for (LiveStream stream : streams.ofRoom(roomId)) {
            count(stream, counts);
        }
        if (hls != null) {
            counts.putAll(hls.counts().getOrDefault(roomId, Map.of()));
        }
        return ordered(counts);
    }

    /** Every room with a viewer here, by room id. */
    Map<String, Map<String, Integer>> all() {
        Map<String, Map<String, Integer>> byRoom = new HashMap<>();
        for (LiveStream stream : streams.all()) {
            count(stream, byRoom.computeIfAbsent(stream.roomId(), r -> new HashMap<>()));
        }
        if (hls != null) {
            hls.counts().forEach((room, counts) -> byRoom.computeIfAbsent(room, r -> new HashMap<>()).putAll(counts));
        }
        Map<String, Map<String, Integer>> out = new HashMap<>();
        byRoom.forEach((room, counts) -> {
            if (!counts.isEmpty()) {
                out.put(room, ordered(counts));
            }
        });
        return out;
    }

    private static void count(LiveStream stream, Map<String, Integer> counts) {
        for (Viewer viewer : stream.viewers()) {
            if (!viewer.internal()) {
                counts.merge(viewer.protocol(), 1, Integer::sum);
            }
        }
    }

    private static Map<String, Integer> ordered(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        int total = 0;
        for (String protocol : PROTOCOLS) {
            int n = counts.getOrDefault(protocol, 0);
            out.put(protocol, n);
            total += n;
        }
        out.put("total", total);
        return out;
    }
}
