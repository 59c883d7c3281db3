package fluxrelay.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.admin.AdminException;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.RenditionFields;
import fluxrelay.admin.RenditionSpec;
import fluxrelay.admin.RungSpec;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.ProgramSettings;
import fluxrelay.rooms.Room;
import java.time.Duration;
import java.util.List;

/**
 * A room as the shared store holds it: one JSON value per room in the hash {@code fluxrelay:rooms}, with its inputs
 * and its own bandwidth settings (null fields follow the server defaults).
 *
 * @param id the room id (also the hash field)
 * @param title human title
 * @param app FMS application name
 * @param inputs its feeds, the main one first
 * @param autoLive shown as soon as the publisher starts
 * @param requiredMbps the room's own required download rate, or null
 * @param bandwidthPolicy the room's own bandwidth policy, or null
 * @param viewerAccess the room's own viewer access, or null
 * @param record whether the room records, or null for the server default
 * @param failoverAfterMs the room's own failover wait in milliseconds, or null
 * @param failbackAfterMs the room's own failback wait in milliseconds, or null
 * @param failback the room's own failback, "auto" or "manual", or null
 * @param recordStart when the room's recordings start, "publish" or "go-live", or null for the server default (absent
 *     from rooms stored before it existed)
 * @param dvrWindowMs the room's own live DVR window in milliseconds (0: none), or null for the server default (absent
 *     from rooms stored before it existed)
 * @param renditions the stream names bound as renditions of the room's program, or null for none
 * @param ladder the rungs of the room's server-side ladder, or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StoredRoom(String id, String title, String app, List<Input> inputs, boolean autoLive, Double requiredMbps,
                  String bandwidthPolicy, String viewerAccess, Boolean record, Long failoverAfterMs, Long failbackAfterMs, String failback,
                  String recordStart, Long dvrWindowMs, List<RenditionSpec> renditions, List<RungSpec> ladder) {

    /** One input: its id and secret stream name. */
    record Input(String id, String streamName, @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String role) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static StoredRoom of(Room room, BandwidthChoice own) {
        return new StoredRoom(room.id(), room.title(), room.app(),
                room.feeds().stream().map(f -> new Input(f.id(), f.streamName(), f.backup() ? f.role() : null)).toList(), room.autoLive(),
                own.requiredMbps(), own.policy(), own.viewerAccess(), own.record(), millis(room.program().failoverAfter()),
                millis(room.program().failbackAfter()), room.program().failback(), own.recordStart(),
                millis(own.dvrWindowDuration()), room.renditions().isEmpty() ? null
                        : room.renditions().stream().map(r -> new RenditionSpec(r.id(), r.streamName())).toList(),
                room.ladder().isEmpty() ? null
                        : room.ladder().stream().map(r -> new RungSpec(r.id(), r.height(), r.videoKbps(), r.audioKbps())).toList());
    }

    private static Long millis(Duration d) {
        return d == null ? null : d.toMillis();
    }

    Room room() {
        if (failback != null && !failback.equals("auto") && !failback.equals("manual")) {
            throw new IllegalArgumentException("a stored room's failback is auto or manual");
        }
        ProgramSettings program = new ProgramSettings(failoverAfterMs == null ? null : Duration.ofMillis(failoverAfterMs),
                failbackAfterMs == null ? null : Duration.ofMillis(failbackAfterMs), failback == null ? null : failback.equals("auto"));
        try {
            return new Room(id, title, app, inputs.stream().map(i -> new Feed(i.id(), i.streamName(), i.role())).toList(), autoLive,
                    program, RenditionFields.renditions(renditions), RenditionFields.ladder(ladder));
        } catch (AdminException e) {
            throw new IllegalArgumentException("a stored room's " + e.field() + ": " + e.getMessage(), e);
        }
    }

    BandwidthChoice own() {
        return new BandwidthChoice(requiredMbps, bandwidthPolicy, viewerAccess, record, recordStart,
                dvrWindowMs == null ? null : BandwidthChoice.formatDvrWindow(Duration.ofMillis(dvrWindowMs)));
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise room " + id, e);
        }
    }

    /** Parses a stored value; throws {@link IllegalArgumentException} when it is not a valid room. */
    static StoredRoom parse(String json) {
        try {
            StoredRoom stored = JSON.readValue(json, StoredRoom.class);
            if (stored.id() == null || stored.app() == null || stored.inputs() == null || stored.inputs().isEmpty()) {
                throw new IllegalArgumentException("a stored room needs id, app and inputs");
            }
            stored.room();
            if (stored.recordStart() != null && !stored.recordStart().equals(BandwidthChoice.PUBLISH)
                    && !stored.recordStart().equals(BandwidthChoice.GO_LIVE)) {
                throw new IllegalArgumentException("a stored room's recordStart is publish or go-live");
            }
            if (stored.dvrWindowMs() != null && (stored.dvrWindowMs() < 0
                    || stored.dvrWindowMs() > fluxrelay.config.RecordingConfig.MAX_DVR_WINDOW.toMillis())) {
                throw new IllegalArgumentException("a stored room's dvrWindowMs is from 0 to a day");
            }
            return stored;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored room: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "StoredRoom[" + id + "]";
    }
}
