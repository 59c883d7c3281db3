package fluxrelay.admin;

import fluxrelay.config.LadderRungConfig;
import fluxrelay.config.RenditionInputConfig;
import fluxrelay.config.StreamNames;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators do to a room's qualities at runtime: the stream names bound as renditions of its program (list, add,
 * remove, rotate one's stream name; or all at once in a room create or PATCH) and its server-side ladder (create and
 * PATCH). Each change goes through the room admin's store and is applied once stored, as every other room change is:
 * a removed rendition's publisher is ended and its hub removed, a rotated key ends the publisher with the old one, a
 * changed ladder is restarted ({@link RoomAdmin#applyStored}).
 */
public final class RoomRenditions {

    /** The room admin's logger: every admin change is logged under one name. */
    private static final Logger log = LoggerFactory.getLogger(RoomAdmin.class);

    private final RoomAdmin admin;

    RoomRenditions(RoomAdmin admin) {
        this.admin = admin;
    }

    /**
     * The room's renditions bound to stream names, as its view lists them (id, stream name, publishing).
     *
     * @throws AdminException 404 for an unknown room
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String id) {
        return (List<Map<String, Object>>) admin.get(id).get("renditionInputs");
    }

    /**
     * Binds a stream name (generated when not given) as a rendition of the room's program.
     *
     * @return the room's view once the change is stored
     * @throws AdminException 400 for a bad id or stream name, 404 for an unknown room, 409 for an id the room's renditions
     *                        or ladder have, a stream name bound elsewhere, or a room that has the most renditions already
     */
    public CompletableFuture<Map<String, Object>> add(String id, RenditionSpec rendition, String caller) {
        Room changed;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            RenditionFields.checkId(rendition.id(), "id");
            if (room.rendition(rendition.id()).isPresent() || room.ladder().stream().anyMatch(r -> r.id().equals(rendition.id()))) {
                throw AdminException.conflict("id", "room '" + id + "' already has a rendition '" + rendition.id() + "'"
                        + (room.rendition(rendition.id()).isPresent() ? "" : " in its ladder"));
            }
            if (room.renditions().size() >= RenditionFields.MAX_RENDITIONS) {
                throw AdminException.conflict("id", "a room has at most " + RenditionFields.MAX_RENDITIONS + " renditions");
            }
            String name = streamName(room, rendition.id(), rendition.streamName(), "streamName");
            List<RenditionInputConfig> renditions = new ArrayList<>(room.renditions());
            renditions.add(new RenditionInputConfig(rendition.id(), name));
            changed = room.withRenditions(renditions);
            stored = admin.store(id, changed, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            log.info("admin: rendition {} added to room {} by {}", rendition.id(), id, caller);
            admin.inputChanges().renditionChanged(changed, rendition.id(), "added");
            return admin.view(changed);
        });
    }

    /**
     * Unbinds a rendition's stream name: its publisher is ended with a status saying why and its hub removed.
     *
     * @throws AdminException 404 for an unknown room or rendition
     */
    public CompletableFuture<Map<String, Object>> remove(String id, String renditionId, String caller) {
        Room changed;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            RenditionInputConfig rendition = require(room, renditionId);
            List<RenditionInputConfig> renditions = new ArrayList<>(room.renditions());
            renditions.remove(rendition);
            changed = room.withRenditions(renditions);
            stored = admin.store(id, changed, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            log.info("admin: rendition {} removed from room {} by {}", renditionId, id, caller);
            admin.inputChanges().renditionChanged(changed, renditionId, "removed");
            return admin.view(changed);
        });
    }

    /**
     * Replaces a rendition's stream name (generated unless given); a live publisher with the old name is ended.
     *
     * @throws AdminException 400 for a bad stream name, 404 for an unknown room or rendition, 409 for a name bound elsewhere
     */
    public CompletableFuture<Map<String, Object>> rotate(String id, String renditionId, String requested, String caller) {
        Room rotated;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            RenditionInputConfig before = require(room, renditionId);
            String name = streamName(room.withRenditions(room.renditions().stream().filter(r -> r != before).toList()),
                    renditionId, requested, "streamName");
            List<RenditionInputConfig> renditions = new ArrayList<>(room.renditions());
            renditions.set(renditions.indexOf(before), new RenditionInputConfig(renditionId, name));
            rotated = room.withRenditions(renditions);
            stored = admin.store(id, rotated, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            log.info("admin: stream name of rendition {} of room {} rotated by {}", renditionId, id, caller);
            admin.inputChanges().renditionChanged(rotated, renditionId, "key_rotated");
            return admin.view(rotated);
        });
    }

    /**
     * The renditions and ladder a create or PATCH gives, checked, over {@code room} (its feeds and app as they will be;
     * for a create, without renditions or ladder). Absent fields keep the room's; {@code reset} names those given as null
     * (none then). A PATCH's rendition without a stream name keeps the one the rendition of that id has, else gets one
     * generated.
     *
     * @throws AdminException 400 naming {@code renditions} or {@code ladder}, 409 for a stream name bound elsewhere
     */
    Room withQualities(Room room, List<RenditionSpec> renditions, List<RungSpec> ladder, Set<String> reset) {
        List<LadderRungConfig> rungs = reset.contains("ladder") ? List.of()
                : ladder == null ? room.ladder() : RenditionFields.ladder(ladder);
        if (!rungs.isEmpty() && !rungs.equals(room.ladder()) && !admin.laddersAvailable()) {
            throw AdminException.invalid("ladder", "this server cannot run ladders: its RTMP listener (relay.rtmp.host) must be "
                    + "on a loopback address or every address (0.0.0.0)");
        }
        List<RenditionInputConfig> bound = room.renditions();
        if (reset.contains("renditions")) {
            bound = List.of();
        } else if (renditions != null) {
            if (renditions.size() > RenditionFields.MAX_RENDITIONS) {
                throw AdminException.invalid("renditions", "a room has at most " + RenditionFields.MAX_RENDITIONS + " renditions");
            }
            Room without = room.withRenditions(List.of()).withLadder(List.of());
            List<RenditionInputConfig> out = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (RenditionSpec spec : renditions) {
                RenditionFields.checkId(spec == null ? null : spec.id(), "renditions");
                if (!ids.add(spec.id())) {
                    throw AdminException.invalid("renditions", "rendition '" + spec.id() + "' is given twice");
                }
                String given = spec.streamName() != null ? spec.streamName()
                        : room.rendition(spec.id()).map(RenditionInputConfig::streamName).orElse(null);
                String name = streamName(without.withRenditions(out), spec.id(), given, "renditions");
                out.add(new RenditionInputConfig(spec.id(), name));
            }
            bound = out;
        } else if (!room.renditions().isEmpty()) {
            // kept as they are; the app may have changed, so each name must be free in it
            for (RenditionInputConfig r : room.renditions()) {
                admin.checkNameFree(room.app(), r.streamName(), room.id());
            }
        }
        RenditionFields.checkDistinct(bound, rungs, ladder != null ? "ladder" : "renditions");
        return room.withRenditions(bound).withLadder(rungs);
    }

    /**
     * A rendition's stream name: {@code requested} checked (the one stream name rule, unused by {@code room}'s inputs and
     * renditions and by other rooms of its app), or a generated one when null.
     */
    private String streamName(Room room, String renditionId, String requested, String field) {
        String name = requested == null ? StreamNames.generate()
                : RoomAdmin.checkStreamName(field, "rendition '" + renditionId + "': ", requested, admin.roomIdsAnd(room.id()));
        if (room.usesStreamName(name)) {
            throw AdminException.conflict(field, "this stream name is already bound to an input or rendition of the room");
        }
        admin.checkNameFree(room.app(), name, room.id());
        return name;
    }

    /**
     * Puts the room's qualities in its view: {@code renditions}, every rendition live now (from the encoder's multitrack,
     * a rendition stream name or the ladder); {@code renditionInputs}, the stream names bound as renditions (id, stream
     * name as inputs show theirs, publishing); {@code ladderRungs}, the ladder as set.
     */
    static void putViews(Map<String, Object> view, Room room, StreamRegistry streams) {
        List<Map<String, Object>> live = new ArrayList<>();
        for (LiveStream rendition : streams.renditions(room.id())) {
            live.add(RoomViews.rendition(rendition.feedId().rendition(), rendition.snapshot(),
                    rendition.viewers().stream().filter(v -> !v.internal()).count()));
        }
        view.put("renditions", live);
        List<Map<String, Object>> bound = new ArrayList<>();
        for (RenditionInputConfig r : room.renditions()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", r.id());
            one.put("streamName", r.streamName());
            one.put("publishing", streams.find(FeedId.rendition(room.id(), r.id())).map(s -> s.snapshot().publishing()).orElse(false));
            bound.add(one);
        }
        view.put("renditionInputs", bound);
        view.put("ladderRungs", ladderView(room));
    }

    /**
     * Makes this node's rendition hubs match a changed room: a removed rendition's hub is removed (its publisher ended),
     * a rendition whose stream name changed has its publisher ended (unless the room's app changed: every publisher was).
     */
    static void applyStored(StreamRegistry streams, Room before, Room stored, boolean appChanged) {
        for (RenditionInputConfig r : before.renditions()) {
            FeedId hub = FeedId.rendition(before.id(), r.id());
            var now = stored.rendition(r.id());
            if (now.isEmpty()) {
                streams.remove(hub, "The rendition was removed from the room.");
            } else if (!appChanged && !now.get().streamName().equals(r.streamName())) {
                streams.find(hub).ifPresent(s -> s.evictPublisher("The stream key was changed: reconnect with the new key."));
            }
        }
    }

    /** The room's ladder as set (not its process state, which {@code ladder} shows): its rungs. */
    static List<Map<String, Object>> ladderView(Room room) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (LadderRungConfig r : room.ladder()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("id", r.id());
            one.put("height", r.height());
            one.put("videoKbps", r.videoKbps());
            one.put("audioKbps", r.audioKbps());
            out.add(one);
        }
        return out;
    }

    private static RenditionInputConfig require(Room room, String renditionId) {
        return room.rendition(renditionId).orElseThrow(() ->
                AdminException.notFound("room '" + room.id() + "' has no rendition '" + renditionId + "'"));
    }
}
