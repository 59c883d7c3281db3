package fluxrelay.admin;

import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.VideoCodecInfo;
import fluxrelay.rooms.Room;
import fluxrelay.stream.DropReason;
import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.StreamSnapshot;
import fluxrelay.stream.Viewer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of the admin API: a room with its live state, and a viewer. */
final class RoomViews {

    private RoomViews() {
    }

    static Map<String, Object> room(Room room, StreamSnapshot live, List<Viewer> viewers) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", room.id());
        out.put("title", room.title());
        out.put("app", room.app());
        out.put("streamName", room.streamName());
        out.put("autoLive", room.autoLive());
        out.put("publishing", live != null && live.publishing());
        out.put("shown", live != null && live.shown());
        out.put("live", live != null && live.visible());
        if (live != null && live.publishing()) {
            out.put("publisher", publisher(live));
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
