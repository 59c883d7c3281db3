package fluxrelay.admin;

import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSnapshot;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.program.ProgramPolicy;
import fluxrelay.program.ProgramStatus;
import fluxrelay.rooms.ProgramSettings;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomLocator;
import fluxrelay.stream.DropReason;
import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.StreamSnapshot;
import fluxrelay.stream.Viewer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of the admin API: a room with its live state, and a viewer. */
final class RoomViews {

    private RoomViews() {
    }

    /**
     * Adds a room's program switching settings to its view: {@code failoverAfter}, {@code failbackAfter} and
     * {@code failback} as the room sets them (null: it follows the server's), and {@code programPolicy}, what its
     * program follows (its own over {@code defaults}; absent when the server has no program switches).
     */
    static void programSettings(Map<String, Object> view, ProgramSettings own, ProgramPolicy defaults) {
        view.put("failoverAfter", ProgramFields.format(own.failoverAfter()));
        view.put("failbackAfter", ProgramFields.format(own.failbackAfter()));
        view.put("failback", own.failback());
        if (defaults != null) {
            ProgramPolicy policy = defaults.with(own);
            Map<String, Object> effective = new LinkedHashMap<>();
            effective.put("failoverAfter", ProgramFields.format(policy.failoverAfter()));
            effective.put("failbackAfter", ProgramFields.format(policy.failbackAfter()));
            effective.put("failback", policy.autoFailback() ? "auto" : "manual");
            view.put("programPolicy", effective);
        }
    }

    /**
     * @param live the room's program hub state (what viewers get), or null before it has a hub
     * @param onAir the state of the input on air (its publisher is the room's), or null
     * @param viewers the viewers of every input
     * @param inputs the room's {@link #input} views
     * @param own the room's own bandwidth settings (null fields follow the defaults)
     * @param bandwidth the room's {@link #bandwidth} view
     */
    static Map<String, Object> room(Room room, StreamSnapshot live, StreamSnapshot onAir, List<Viewer> viewers,
                                    List<Map<String, Object>> inputs, BandwidthChoice own, Map<String, Object> bandwidth) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", room.id());
        out.put("title", room.title());
        out.put("app", room.app());
        out.put("streamName", room.streamName());
        out.put("autoLive", room.autoLive());
        out.put("requiredMbps", own.requiredMbps());
        out.put("bandwidthPolicy", own.policy());
        out.put("publishing", onAir != null && onAir.publishing());
        out.put("shown", live != null && live.shown());
        out.put("live", live != null && live.visible());
        if (onAir != null && onAir.publishing()) {
            out.put("publisher", publisher(onAir));
        }
        Map<String, Integer> byProtocol = new TreeMap<>();
        int lagging = 0;
        for (Viewer viewer : viewers) {
            byProtocol.merge(viewer.protocol(), 1, Integer::sum);
            lagging += viewer.lagging() ? 1 : 0;
        }
        Map<String, Object> viewerCounts = new LinkedHashMap<>(byProtocol);
        viewerCounts.put("total", viewers.size());
        viewerCounts.put("lagging", lagging);
        out.put("viewers", viewerCounts);
        if (live != null) {
            out.put("gopCache", Map.of("frames", live.gopCacheFrames(), "bytes", live.gopCacheBytes()));
        }
        out.put("inputs", inputs);
        out.put("bandwidth", bandwidth);
        return out;
    }

    /**
     * Makes a room view cluster-wide: {@code viewers} counts every live node's viewers by protocol (its
     * {@code lagging} stays this node's: only it knows), {@code viewersByNode} breaks them down, and
     * {@code originNode} names the node holding the main input's publish lease (null: nobody publishes).
     */
    static void cluster(Map<String, Object> view, Map<String, Map<String, Integer>> byNode, String originNode) {
        @SuppressWarnings("unchecked")
        Map<String, Object> local = (Map<String, Object>) view.get("viewers");
        Map<String, Object> total = new LinkedHashMap<>();
        byNode.values().forEach(counts -> counts.forEach((protocol, n) -> total.merge(protocol, n, (a, b) -> (Integer) a + (Integer) b)));
        total.remove("total");
        total.put("total", byNode.values().stream().mapToInt(counts -> counts.getOrDefault("total", 0)).sum());
        total.put("lagging", local.get("lagging"));
        view.put("viewers", total);
        view.put("viewersByNode", byNode);
        view.put("originNode", originNode);
    }

    /**
     * One input of a room: its id, role and stream name, whether it is publishing and on air, its ingest health, and
     * where its publisher is.
     *
     * @param seen the program switch's view of it, or null (never published here)
     */
    static Map<String, Object> input(Feed feed, StreamSnapshot live, RoomLocator.Origin origin, ProgramStatus.Input seen,
                                     boolean onAir) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", feed.id());
        out.put("role", feed.role());
        out.put("streamName", feed.streamName());
        out.put("onAir", onAir);
        out.put("lastMediaAgoMs", seen == null || !seen.live() ? null : seen.lastMediaAgoMs());
        out.put("parametersDifferFromMain", seen != null && seen.parametersDifferFromMain());
        out.put("differingTracks", seen == null ? List.of() : seen.differingTracks());
        out.put("publishing", live != null && live.publishing());
        out.put("origin", origin instanceof RoomLocator.Origin.Elsewhere elsewhere ? elsewhere.nodeId()
                : origin instanceof RoomLocator.Origin.Here ? "here" : null);
        if (live != null && live.publishing()) {
            out.put("publisher", publisher(live));
        }
        return out;
    }

    /**
     * One quality rendition of a room's program: its id, picture, ingest bit rates over the last second, whether it is
     * live, and how many people watch it (RTMP and HTTP-FLV; HLS players are counted by the HLS views).
     */
    static Map<String, Object> rendition(String id, StreamSnapshot live, long viewers) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        var ingest = live == null ? null : live.ingest();
        out.put("publishing", live != null && live.publishing());
        out.put("width", ingest == null || ingest.video() == null ? null : ingest.video().width());
        out.put("height", ingest == null || ingest.video() == null ? null : ingest.video().height());
        out.put("videoKbps", ingest == null ? null : Math.round(ingest.videoKbps()));
        out.put("audioKbps", ingest == null ? null : Math.round(ingest.audioKbps()));
        out.put("viewers", viewers);
        return out;
    }

    /**
     * A room's bandwidth check results: the requirement in force, monitored viewers by state, the flagged ones
     * with their measured figures, totals since start and the latest verdicts ({@code snapshot} null: nothing
     * checked or monitored yet).
     */
    static Map<String, Object> bandwidth(BandwidthRequirement requirement, BandwidthSnapshot snapshot) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requiredMbps", requirement.mbps());
        out.put("policy", requirement.policy().label());
        Map<String, Object> viewers = new LinkedHashMap<>();
        viewers.put("measuring", snapshot == null ? 0 : snapshot.viewersMeasuring());
        viewers.put("ok", snapshot == null ? 0 : snapshot.viewersOk());
        viewers.put("below", snapshot == null ? 0 : snapshot.viewersBelow());
        out.put("viewers", viewers);
        out.put("flagged", verdicts(snapshot == null ? List.of() : snapshot.flagged()));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("flagged", snapshot == null ? 0 : snapshot.flaggedTotal());
        totals.put("refused", snapshot == null ? 0 : snapshot.refusedTotal());
        totals.put("disconnected", snapshot == null ? 0 : snapshot.disconnectedTotal());
        totals.put("probes", snapshot == null ? 0 : snapshot.probes());
        totals.put("detections", snapshot == null ? 0 : snapshot.detections());
        totals.put("movedDown", snapshot == null ? 0 : snapshot.movedDownTotal());
        out.put("totals", totals);
        out.put("recent", verdicts(snapshot == null ? List.of() : snapshot.recent()));
        return out;
    }

    private static List<Map<String, Object>> verdicts(List<BandwidthVerdict> verdicts) {
        List<Map<String, Object>> out = new ArrayList<>(verdicts.size());
        for (BandwidthVerdict verdict : verdicts) {
            Measurement m = verdict.measurement();
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("at", verdict.at().toString());
            v.put("viewer", verdict.viewer());
            v.put("source", verdict.source().label());
            v.put("verdict", verdict.label());
            v.put("measuredMbps", Math.round(m.mbps() * 1000) / 1000.0);
            v.put("requiredMbps", verdict.requiredBitsPerSecond() / 1e6);
            v.put("method", m.method().label());
            v.put("bytes", m.bytes());
            v.put("seconds", Math.round(m.nanos() / 1e6) / 1000.0);
            v.put("latencyMs", m.latencyMicros() < 0 ? null : m.latencyMillis());
            v.put("complete", m.complete());
            out.add(v);
        }
        return out;
    }

    private static Map<String, Object> publisher(StreamSnapshot live) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("address", String.valueOf(live.publisherAddress()));
        IngestSnapshot ingest = live.ingest();
        if (ingest == null) {
            return out;
        }
        out.put("encoder", ingest.encoder());
        VideoCodecInfo video = ingest.video();
        if (video != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("codec", video.codecString());
            v.put("profile", video.profile());
            v.put("level", video.level());
            v.put("width", video.width());
            v.put("height", video.height());
            v.put("frameRate", Double.isNaN(video.frameRate()) ? null : video.frameRate());
            out.put("video", v);
        }
        AudioCodecInfo audio = ingest.audio();
        if (audio != null) {
            out.put("audio", Map.of("codec", audio.codecString(), "sampleRate", audio.sampleRate(), "channels", audio.channels()));
        }
        out.put("videoKbps", Math.round(ingest.videoKbps()));
        out.put("audioKbps", Math.round(ingest.audioKbps()));
        out.put("measuredFps", Math.round(ingest.measuredFps() * 100) / 100.0);
        out.put("keyframeIntervalMs", ingest.keyframeIntervalMs());
        out.put("warnings", ingest.warnings());
        return out;
    }

    static Map<String, Object> viewer(Viewer viewer) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", viewer.viewerId());
        out.put("protocol", viewer.protocol());
        out.put("address", String.valueOf(viewer.remoteAddress()));
        out.put("joinedAt", Instant.ofEpochMilli(viewer.joinedAtMillis()).toString());
        out.put("bytesSent", viewer.bytesSent());
        out.put("lagging", viewer.lagging());
        Map<String, Long> drops = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            drops.put(reason.label(), viewer.drops().frames(reason));
        }
        out.put("droppedFrames", drops);
        return out;
    }
}
