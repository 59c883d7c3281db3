package fluxrelay.admin;

import fluxrelay.access.AccessPolicy;
import fluxrelay.access.ViewerAccess;
import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.config.BandwidthConfig;
import fluxrelay.config.StreamNames;
import fluxrelay.program.ProgramException;
import fluxrelay.program.ProgramStatus;
import fluxrelay.program.ProgramSwitch;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.program.Switched;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomLocator;
import fluxrelay.rooms.RoomStore;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.Viewer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators do to rooms at runtime: create, update, delete, rotate the stream name, GO LIVE, kick
 * the publisher or a viewer. Every change to the bindings is stored through a {@link RoomPersistence} (the rooms
 * file, or a cluster's shared store) and applied here only once stored, so a change the store refused is not
 * half made; changes that end a live publish end it cleanly with a status the encoder sees. Changes another node
 * made arrive through {@link #applyStored}. Each change takes its caller (whoever the protocol adapter names, such as
 * a client address), and its log line names it.
 */
public final class RoomAdmin {

    /** Rooms this server holds at most. */
    private final int maxRooms;
    private final ProgramSwitches programs;
    private final Duration switchWait;
    private static final Logger log = LoggerFactory.getLogger(RoomAdmin.class);

    private final RoomStore rooms;
    private final StreamRegistry streams;
    private final RoomLocator locator;
    private final RoomPersistence persistence;
    private final RoomsFilePersistence filePersistence;
    private final Consumer<Room> roomAdded;
    /** Held while a change is validated and handed to the store (also by {@link RoomInputs}). */
    final Object writeLock = new Object();
    /** Rooms with a change being stored, by id (the room as it will be; null for a deletion). */
    private final Map<String, Room> pending = new HashMap<>();
    private final BandwidthRegistry bandwidth;
    private final AccessPolicy access;
    /** The cluster's viewers for the room views, or null on a single node. */
    private volatile ClusterViewers clusterViewers;
    /** The recorder's side of the rooms' {@code record}, or null on a server that records nothing. */
    private volatile RoomRecording recording;
    /**
     * The settings a room PATCH may give as {@code null} to follow the server's default again: the program settings
     * ({@code relay.program}), {@code recordStart} and {@code dvrWindow}; and those it empties so: {@code renditions}
     * and {@code ladder}.
     */
    public static final Set<String> RESETTABLE = union(ProgramFields.RESETTABLE,
            Set.of("recordStart", "dvrWindow", "renditions", "ladder"));

    /** Where the rooms' recent events are kept, or null (none kept). */
    private volatile RoomEvents events;
    /** Who else hears of inputs added, removed and rotated (the platform's webhooks). */
    private volatile ActivityListener inputChanges = ActivityListener.NONE;
    /** Each room's ladder view, or null for a room without one ({@link #showLadders}). */
    private volatile java.util.function.Function<String, Map<String, Object>> ladders = id -> null;
    private final RoomInputs inputs = new RoomInputs(this);
    private final RoomRenditions renditions = new RoomRenditions(this);
    /** Told the id of a room whose ladder changed or that was deleted with one; null when the server runs no ladders. */
    private volatile Consumer<String> ladderChanged;

    /**
     * A single node's admin, persisting to the rooms file.
     *
     * @param rooms the bindings
     * @param streams the hubs
     * @param locator where each input's publisher is, for the room views
     * @param file where changes persist, or null for none
     * @param disk where blocking file writes run
     * @param roomAdded told of every room created or whose inputs changed (e.g. to start its HLS packagers)
     * @param maxRooms most rooms the server holds
     * @param bandwidth per-room bandwidth requirements (applied here) and state (shown in room views)
     * @param ownBandwidth the bandwidth settings rooms have at start (config file and rooms file), by room id
     */
    public RoomAdmin(RoomStore rooms, StreamRegistry streams, RoomLocator locator, RoomsFile file, Executor disk, Consumer<Room> roomAdded,
                     int maxRooms, BandwidthRegistry bandwidth, Map<String, BandwidthChoice> ownBandwidth) {
        this(rooms, streams, locator, new RoomsFilePersistence(file, disk, rooms.all(), ownBandwidth), roomAdded, maxRooms, bandwidth);
    }

    /**
     * @param rooms the bindings this node reads
     * @param streams the hubs
     * @param locator where each input's publisher is, for the room views
     * @param persistence where changes are stored before they are applied; also holds each room's own bandwidth settings
     * @param roomAdded told of every room created or whose inputs changed (e.g. to start its HLS packagers)
     * @param maxRooms most rooms the server holds
     * @param bandwidth per-room bandwidth requirements (applied here) and state (shown in room views)
     */
    public RoomAdmin(RoomStore rooms, StreamRegistry streams, RoomLocator locator, RoomPersistence persistence,
                     Consumer<Room> roomAdded, int maxRooms, BandwidthRegistry bandwidth) {
        this(rooms, streams, locator, persistence, roomAdded, maxRooms, bandwidth, AccessPolicy.open());
    }

    /**
     * As {@link #RoomAdmin(RoomStore, StreamRegistry, RoomLocator, RoomPersistence, Consumer, int, BandwidthRegistry)},
     * with the rooms' viewer access applied to {@code access}.
     */
    public RoomAdmin(RoomStore rooms, StreamRegistry streams, RoomLocator locator, RoomPersistence persistence,
                     Consumer<Room> roomAdded, int maxRooms, BandwidthRegistry bandwidth, AccessPolicy access) {
        this(rooms, streams, locator, persistence, roomAdded, maxRooms, bandwidth, access, null, Duration.ofSeconds(4));
    }

    /**
     * As above, with the rooms' programs shown in room views and switched by hand ({@link #switchProgram}).
     *
     * @param programs the rooms' program switches, or null (no program control)
     * @param switchWait how long a manual switch waits for the target's keyframe before answering "pending"
     */
    public RoomAdmin(RoomStore rooms, StreamRegistry streams, RoomLocator locator, RoomPersistence persistence,
                     Consumer<Room> roomAdded, int maxRooms, BandwidthRegistry bandwidth, AccessPolicy access,
                     ProgramSwitches programs, Duration switchWait) {
        this.programs = programs;
        this.switchWait = switchWait;
        this.access = access;
        this.bandwidth = bandwidth;
        this.rooms = rooms;
        this.streams = streams;
        this.locator = locator;
        this.persistence = persistence;
        this.filePersistence = persistence instanceof RoomsFilePersistence f ? f : null;
        this.roomAdded = roomAdded;
        this.maxRooms = maxRooms;
    }

    /** Remembers configured rooms deleted in an earlier run, so the next save keeps them deleted (rooms file only). */
    public void restoreDeleted(java.util.Collection<String> ids) {
        if (filePersistence != null) {
            filePersistence.restoreDeleted(ids);
        }
    }

    /**
     * Shows the cluster's viewers and each room's origin node in the room views (a cluster node's composition sets
     * it once); without it the views show this node's viewers only.
     */
    public void showClusterViewers(ClusterViewers viewers) {
        this.clusterViewers = viewers;
    }

    /**
     * Lets rooms record ({@code record} in the API and the room views) and applies each room's choice now; the
     * composition sets it once, at start, when the server records.
     */
    public void recordWith(RoomRecording recording) {
        this.recording = recording;
        rooms.all().forEach(room -> recording.apply(room, records(room.id()), startsAtPublish(room.id()),
                dvrWindow(recording, room.id(), persistence.own(room.id()))));
    }

    /** The room's live DVR window: its own {@code dvrWindow}, else the server's default for it; zero for none. */
    private static Duration dvrWindow(RoomRecording r, String id, BandwidthChoice own) {
        Duration window = own.dvrWindowDuration();
        return window != null ? window : r.dvrWindowByDefault(id);
    }

    /**
     * A room's own DVR window other than none needs the room to record, as a config file room's {@code dvr-window}: the
     * window is served from its recording.
     *
     * @throws AdminException 400 on {@code dvrWindow} when the room, with these settings, does not record
     */
    private void checkDvrRecords(String id, BandwidthChoice own) {
        Duration window = own.dvrWindowDuration();
        RoomRecording r = recording;
        boolean records = r != null && (own.record() != null ? own.record() : r.recordsByDefault(id));
        if (window != null && !window.isZero() && r != null && !records) {
            throw AdminException.invalid("dvrWindow", "room " + id + " does not record (record: false, or the server's "
                    + "default); a live DVR window is served from the recording: give record: true, or dvrWindow \"0s\" "
                    + "or null");
        }
    }

    /**
     * Whether the room's recordings start at the encoder's publish (before GO LIVE): its own {@code recordStart}, else
     * the server's default for it; false without a recorder.
     */
    public boolean startsAtPublish(String id) {
        RoomRecording r = recording;
        return r != null && startsAtPublish(r, id, persistence.own(id));
    }

    private static boolean startsAtPublish(RoomRecording r, String id, BandwidthChoice own) {
        return own.recordStart() != null ? own.recordStart().strip().equalsIgnoreCase(BandwidthChoice.PUBLISH)
                : r.startsAtPublishByDefault(id);
    }

    /** Whether the room records: its own {@code record}, else the server's default for it; false without a recorder. */
    public boolean records(String id) {
        RoomRecording r = recording;
        if (r == null) {
            return false;
        }
        Boolean own = persistence.own(id).record();
        return own != null ? own : r.recordsByDefault(id);
    }

    /**
     * Shows each room's server-side ladder in its view ({@code ladder}: the view {@code ladders} gives for the room id,
     * or nothing when it gives null); set once by the composition when a room has a ladder.
     */
    public void showLadders(java.util.function.Function<String, Map<String, Object>> ladders) {
        this.ladders = ladders;
    }

    /**
     * Lets rooms have a server-side ladder set at runtime: {@code changed} (the ladder's supervisor) is told the id of a
     * room whose ladder changed, or that was deleted with one. Set once by the composition when the server can run
     * ladders; without it a create or PATCH giving a ladder is refused.
     */
    public void onLadderChange(Consumer<String> changed) {
        this.ladderChanged = changed;
    }

    /** Whether rooms may get a ladder at runtime ({@link #onLadderChange}). */
    boolean laddersAvailable() {
        return ladderChanged != null;
    }

    /** Records GO LIVE, off air and key rotations in {@code events} and serves them ({@link #events}); set once. */
    public void recordEvents(RoomEvents events) {
        this.events = events;
    }

    /** Tells {@code listener} (the platform's webhooks) of inputs added, removed and rotated, as well as the events; set once. */
    public void tellInputChanges(ActivityListener listener) {
        this.inputChanges = listener;
    }

    /** Who hears of a change to a room's inputs: its recent events, then the platform. */
    ActivityListener inputChanges() {
        RoomEvents kept = events;
        return kept == null ? inputChanges : ActivityListener.both(kept, inputChanges);
    }

    /**
     * The room's recent events, newest first (empty when none are kept).
     *
     * @throws AdminException 404 for an unknown room
     */
    public List<Map<String, Object>> events(String id) {
        require(id);
        RoomEvents kept = events;
        return kept == null ? List.of() : kept.recent(id).stream().map(RoomEvents.Event::json).toList();
    }

    /** Every room with its live state. */
    public List<Map<String, Object>> list() {
        return rooms.all().stream().sorted((a, b) -> a.id().compareTo(b.id())).map(this::view).toList();
    }

    /** One room with its live state. */
    public Map<String, Object> get(String id) {
        return view(require(id));
    }

    /**
     * As {@link #list()}, once the locator has looked up where each room's inputs publish (in a cluster: a round trip
     * to Redis for what it has not looked up in the last second), so that the answer names every room's origin.
     */
    public CompletableFuture<List<Map<String, Object>>> listLocated() {
        CompletableFuture<?>[] lookups = rooms.all().stream().map(this::locate).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(lookups).thenApply(done -> list());
    }

    /** As {@link #get}, once the locator has looked up where the room's inputs publish (see {@link #listLocated}). */
    public CompletableFuture<Map<String, Object>> getLocated(String id) {
        return locate(require(id)).thenApply(done -> get(id));
    }

    private CompletableFuture<Void> locate(Room room) {
        return locator.refresh(room.id(), room.feeds().stream().map(Feed::id).toList()).toCompletableFuture();
    }

    /** Creates a room; the stream name is generated when not given. {@code caller} names who asked in the log. */
    public CompletableFuture<Map<String, Object>> create(RoomSpec spec, String caller) {
        Room room;
        CompletableFuture<Void> stored;
        synchronized (writeLock) {
            if (spec.id() == null || !StreamNames.isValidId(spec.id())) {
                throw AdminException.invalid("id", "id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            if (rooms.findById(spec.id()).isPresent() || pending.containsKey(spec.id())) {
                throw AdminException.conflict("id", "room '" + spec.id() + "' already exists");
            }
            if (rooms.all().stream().anyMatch(r -> r.usesStreamName(spec.id()))) {
                throw AdminException.conflict("id", "this id is the stream name of an existing room; viewers play rooms by id, "
                        + "so it would make that key public");
            }
            if (rooms.all().size() + pending.size() >= maxRooms) {
                throw AdminException.conflict(null, "the server holds at most " + maxRooms + " rooms");
            }
            String app = spec.app() == null ? "live" : checkApp(spec.app());
            List<Feed> feeds = RoomInputs.feeds(spec, roomIdsAnd(spec.id()));
            for (Feed feed : feeds) {
                checkNameFree(app, feed.streamName(), null);
            }
            BandwidthChoice own = checkBandwidth(spec.bandwidth());
            checkDvrRecords(spec.id(), own);
            room = renditions.withQualities(new Room(spec.id(), checkTitle(spec.title() == null ? spec.id() : spec.title()), app,
                    feeds, spec.autoLive() == null || spec.autoLive(), spec.program()), spec.renditions(), spec.ladder(), Set.of());
            stored = store(room.id(), room, own, true);
        }
        return stored.thenApply(v -> {
            log.info("admin: room {} created in app '{}' by {}", room.id(), room.app(), caller);
            return view(room);
        });
    }

    /**
     * Changes a room's title, app, auto-live setting, own bandwidth settings, own program switching settings, rendition
     * stream names or ladder; {@code caller} as for {@link #create}.
     */
    public CompletableFuture<Map<String, Object>> update(String id, RoomSpec patch, String caller) {
        return update(id, patch, Set.of(), caller);
    }

    /**
     * As {@link #update(String, RoomSpec, String)}, and the settings named in {@code reset} (given as {@code null} in
     * the PATCH: {@code failoverAfter}, {@code failbackAfter}, {@code failback}, {@code recordStart}, {@code dvrWindow})
     * follow the server's default again ({@code relay.program}; for {@code recordStart} and {@code dvrWindow} the config
     * file room's {@code record-start} and {@code dvr-window}, else {@code relay.recording}'s, from the room's next
     * recording); {@code renditions} and {@code ladder} given as null are emptied.
     *
     * @throws AdminException 400 when {@code reset} names another field
     */
    public CompletableFuture<Map<String, Object>> update(String id, RoomSpec patch, Set<String> reset, String caller) {
        Room updated;
        CompletableFuture<Void> stored;
        synchronized (writeLock) {
            Room room = requireSettled(id);
            if (patch.id() != null && !patch.id().equals(id)) {
                throw AdminException.invalid("id", "a room's id cannot change");
            }
            if (patch.streamName() != null) {
                throw AdminException.invalid("streamName", "rotate the stream name with POST /api/rooms/" + id + "/stream-name");
            }
            if (patch.inputs() != null) {
                throw AdminException.invalid("inputs", "change a room's inputs with /api/rooms/" + id + "/inputs");
            }
            String app = patch.app() == null ? room.app() : checkApp(patch.app());
            if (!app.equals(room.app())) {
                room.feeds().forEach(feed -> checkNameFree(app, feed.streamName(), id));
            }
            for (String field : reset) {
                if (!RESETTABLE.contains(field)) {
                    throw AdminException.invalid(field, "only " + String.join(", ", RESETTABLE.stream().sorted().toList())
                            + " can be reset with null");
                }
            }
            BandwidthChoice own = checkBandwidth(patch.bandwidth()).over(persistence.own(id));
            if (reset.contains("recordStart")) {
                own = own.withoutRecordStart();
            }
            if (reset.contains("dvrWindow")) {
                own = own.withoutDvrWindow();
            }
            checkDvrRecords(id, own);
            Set<String> programReset = new HashSet<>(reset);
            programReset.retainAll(ProgramFields.RESETTABLE);
            updated = renditions.withQualities(new Room(id, patch.title() == null ? room.title() : checkTitle(patch.title()), app,
                    room.feeds(), patch.autoLive() == null ? room.autoLive() : patch.autoLive(),
                    ProgramFields.reset(patch.program().over(room.program()), programReset), room.renditions(), room.ladder()),
                    patch.renditions(), patch.ladder(), reset);
            stored = store(id, updated, own, false);
        }
        return stored.thenApply(v -> {
            log.info("admin: room {} updated by {}", id, caller);
            return view(updated);
        });
    }

    /** Deletes a room: its publisher is ended and its viewers are told. */
    public CompletableFuture<Void> delete(String id, String caller) {
        CompletableFuture<Void> stored;
        synchronized (writeLock) {
            requireSettled(id);
            stored = store(id, null, BandwidthChoice.NONE, false);
        }
        return stored.thenRun(() -> {
            log.info("admin: room {} deleted by {}", id, caller);
            RoomEvents kept = events;
            if (kept != null) {
                kept.forget(id);
            }
        });
    }

    /** Replaces the main input's stream name (generated unless given); a live publisher with the old name is ended. */
    public CompletableFuture<Map<String, Object>> rotateStreamName(String id, String requested, String caller) {
        return inputs.rotate(id, null, requested, caller);
    }

    /** Adding, removing and rotating the keys of a room's inputs. */
    public RoomInputs inputs() {
        return inputs;
    }

    /** Adding, removing and rotating the keys of the stream names bound as a room's renditions. */
    public RoomRenditions renditions() {
        return renditions;
    }

    /** The room's own bandwidth, access and recording settings, as stored. */
    BandwidthChoice own(String id) {
        return persistence.own(id);
    }

    /**
     * Stores a change (a null room deletes) and, once stored, applies it here. Called with the write lock held,
     * so changes reach the store in the order they were validated; the room is pending until then.
     */
    CompletableFuture<Void> store(String id, Room room, BandwidthChoice own, boolean create) {
        pending.put(id, room);
        CompletableFuture<Void> stored;
        try {
            stored = room == null ? persistence.delete(id) : create ? persistence.create(room, own) : persistence.save(room, own);
        } catch (RuntimeException e) {
            pending.remove(id);
            throw e;
        }
        return stored.whenComplete((v, error) -> {
            synchronized (writeLock) {
                pending.remove(id);
            }
            if (error == null) {
                applyStored(id, room, own);
            }
        });
    }

    /**
     * Makes this node's rooms match a stored room (null: deleted), whoever changed it: a created room is added
     * (and {@code roomAdded} told), a deleted one removed with its publisher ended and viewers told, a changed one
     * replaced, ending publishers whose app or stream name changed and removing the hubs of inputs it no longer has
     * ({@code roomAdded} told again when its inputs changed). Applying the same state twice does nothing more.
     */
    public void applyStored(String id, Room stored, BandwidthChoice own) {
        Room before;
        synchronized (writeLock) {
            before = rooms.findById(id).orElse(null);
            if (stored == null && before == null) {
                return;
            }
            if (stored == null) {
                rooms.remove(id);
                bandwidth.remove(id);
                access.set(id, null);
            } else {
                rooms.put(stored);
                applyBandwidth(id, own);
            }
        }
        if (stored == null) {
            streams.removeRoom(id, "The room was deleted.");
        } else if (before == null) {
            roomAdded.accept(stored);
        } else if (!before.equals(stored)) {
            boolean appChanged = !before.app().equals(stored.app());
            streams.ofRoom(id).forEach(stream -> {
                stream.setAutoLive(stored.autoLive());
                if (appChanged) {
                    stream.evictPublisher("The room moved to another application.");
                }
            });
            if (!appChanged) {
                for (Feed feed : before.feeds()) {
                    stored.feed(feed.id()).filter(now -> !now.streamName().equals(feed.streamName())).ifPresent(now ->
                            streams.find(new FeedId(id, feed.id())).ifPresent(stream ->
                                    stream.evictPublisher("The stream key was changed: reconnect with the new key.")));
                }
            }
            for (Feed feed : before.feeds()) {
                if (stored.feed(feed.id()).isEmpty()) {
                    // Closing the hub ends its publisher with this reason; the program hears the stop and fails over.
                    streams.remove(new FeedId(id, feed.id()), "The input was removed from the room.");
                }
            }
            if (!before.feeds().stream().map(Feed::id).toList().equals(stored.feeds().stream().map(Feed::id).toList())) {
                roomAdded.accept(stored); // packagers for the inputs as they are now
            }
            RoomRenditions.applyStored(streams, before, stored, appChanged);
        }
        Consumer<String> ladder = ladderChanged;
        if (ladder != null && !(before == null ? List.of() : before.ladder()).equals(stored == null ? List.of() : stored.ladder())) {
            ladder.accept(id);
        }
        RoomRecording r = recording;
        if (r != null) {
            Boolean record = stored == null ? Boolean.FALSE : own.record();
            r.apply(stored == null ? before : stored, record != null ? record : r.recordsByDefault(id),
                    startsAtPublish(r, id, own), dvrWindow(r, id, own));
        }
    }

    /** GO LIVE (show to all) or stop showing. */
    public Map<String, Object> setLive(String id, boolean live, String caller) {
        Room room = require(id);
        for (Feed feed : room.feeds()) {
            streams.stream(new FeedId(id, feed.id()), room.autoLive()).setShown(live);
        }
        streams.stream(id, room.autoLive()).setShown(live);
        log.info("admin: room {} {} by {}", id, live ? "switched live" : "taken off the air", caller);
        RoomEvents kept = events;
        if (kept != null) {
            kept.live(id, live);
        }
        return view(room);
    }

    /**
     * Puts an input of the room on air at its next keyframe. The answer completes when the switch took effect
     * ({@code pending} false, with {@code switchedAt}), or after the switch wait with {@code pending} true (the switch
     * still happens at the input's next keyframe).
     *
     * @throws AdminException 404 for an unknown room or input, 409 when the input is not publishing here
     */
    public CompletableFuture<ProgramAnswer> switchProgram(String id, String input, String caller) {
        Room room = require(id);
        if (input == null || room.feed(input).isEmpty()) {
            throw AdminException.notFound("room '" + id + "' has no input '" + input + "'");
        }
        ProgramSwitch program = programs == null ? null : programs.find(id).orElse(null);
        if (program == null) {
            throw AdminException.conflict("input", "input '" + input + "' is not publishing on this node");
        }
        CompletableFuture<Switched> done;
        try {
            done = program.switchTo(input);
        } catch (ProgramException e) {
            throw e.kind() == ProgramException.Kind.UNKNOWN_INPUT ? AdminException.notFound(e.getMessage())
                    : AdminException.conflict("input", e.getMessage());
        }
        log.info("admin: program of room {} switched to input {} by {}", id, input, caller);
        return done.copy().completeOnTimeout(null, switchWait.toMillis(), TimeUnit.MILLISECONDS).handle((switched, error) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                throw AdminException.conflict("input", cause.getMessage());
            }
            if (switched == null) {
                body.put("pending", true);
                body.put("input", input);
                body.put("program", program.onAir());
                return new ProgramAnswer(202, body);
            }
            body.put("pending", false);
            body.put("program", switched.input());
            body.put("from", switched.from());
            body.put("reason", switched.reason().label());
            body.put("switchedAt", switched.at().toString());
            body.put("parametersChanged", switched.parametersChanged());
            return new ProgramAnswer(200, body);
        });
    }

    /**
     * The answer to a manual switch: 200 once on air, 202 while it waits for the input's keyframe.
     *
     * @param status the HTTP status
     * @param body its JSON body
     */
    public record ProgramAnswer(int status, Map<String, Object> body) {
    }

    /** Ends the room's publisher; returns false when none was on. */
    public boolean kickPublisher(String id, String caller) {
        require(id);
        boolean kicked = false;
        for (LiveStream stream : streams.ofRoom(id)) {
            if (!stream.feedId().isProgram()) { // the program's publisher is the switch: it ends with its inputs
                kicked |= stream.evictPublisher("Disconnected by an operator.");
            }
        }
        if (kicked) {
            log.info("admin: publisher of room {} kicked by {}", id, caller);
        }
        return kicked;
    }

    /** The room's viewers. */
    public List<Map<String, Object>> viewers(String id) {
        require(id);
        return roomViewers(id).stream().map(RoomViews::viewer).toList();
    }

    /** Disconnects one viewer. */
    public void kickViewer(String id, long viewerId, String caller) {
        require(id);
        Viewer viewer = roomViewers(id).stream()
                .filter(v -> v.viewerId() == viewerId).findFirst()
                .orElseThrow(() -> AdminException.notFound("no viewer " + viewerId + " in room " + id));
        viewer.kick("Disconnected by an operator.");
        log.info("admin: viewer {} of room {} kicked by {}", viewerId, id, caller);
    }

    /** The viewers (people, not other nodes' pulls) of every input of a room. */
    private List<Viewer> roomViewers(String id) {
        List<Viewer> all = new ArrayList<>();
        streams.ofRoom(id).forEach(stream -> stream.viewers().stream().filter(v -> !v.internal()).forEach(all::add));
        return all;
    }

    Map<String, Object> view(Room room) {
        ProgramStatus program = programs == null ? null : programs.find(room.id()).map(ProgramSwitch::status).orElse(null);
        String onAir = program == null ? null : program.onAir();
        List<Map<String, Object>> inputs = new ArrayList<>();
        for (Feed feed : room.feeds()) {
            var live = streams.find(new FeedId(room.id(), feed.id())).map(LiveStream::snapshot).orElse(null);
            ProgramStatus.Input seen = program == null ? null
                    : program.inputs().stream().filter(i -> i.id().equals(feed.id())).findFirst().orElse(null);
            inputs.add(RoomViews.input(feed, live, locator.locate(room.id(), feed.id()), seen, feed.id().equals(onAir)));
        }
        Map<String, Object> view = RoomViews.room(room, streams.find(room.id()).map(LiveStream::snapshot).orElse(null),
                streams.find(new FeedId(room.id(), onAir == null ? room.mainFeed().id() : onAir)).map(LiveStream::snapshot).orElse(null),
                roomViewers(room.id()), inputs,
                persistence.own(room.id()),
                RoomViews.bandwidth(bandwidth.requirement(room.id()), bandwidth.snapshot(room.id()).orElse(null)));
        RoomRenditions.putViews(view, room, streams);
        Map<String, Object> ladder = ladders.apply(room.id());
        if (ladder != null) {
            view.put("ladder", ladder);
        }
        view.put("viewerAccess", access.access(room.id()).label());
        view.put("record", records(room.id()));
        RoomRecording r = recording;
        BandwidthChoice own = persistence.own(room.id());
        view.put("recordStart", r == null ? own.recordStart()
                : startsAtPublish(r, room.id(), own) ? BandwidthChoice.PUBLISH : BandwidthChoice.GO_LIVE);
        view.put("recordStartOwn", own.recordStart() != null);
        view.put("dvrWindow", r == null ? own.dvrWindow() : BandwidthChoice.formatDvrWindow(dvrWindow(r, room.id(), own)));
        view.put("dvrWindowOwn", own.dvrWindow() != null);
        view.put("program", onAir);
        if (program != null && program.pending() != null) {
            view.put("programPending", Map.of("input", program.pending(), "reason", program.pendingReason().label()));
        }
        view.put("programPinned", program != null && program.pinned());
        RoomViews.programSettings(view, room.program(), programs == null ? null : programs.policy());
        ClusterViewers cluster = clusterViewers;
        if (cluster != null) {
            RoomLocator.Origin origin = locator.locate(room.id(), room.mainFeed().id());
            RoomViews.cluster(view, cluster.byNode(room.id()), origin instanceof RoomLocator.Origin.Elsewhere elsewhere
                    ? elsewhere.nodeId() : origin instanceof RoomLocator.Origin.Here ? cluster.nodeId() : null);
        }
        return view;
    }

    /** Keeps a room's own bandwidth settings and gives the registry the requirement they make. */
    private void applyBandwidth(String id, BandwidthChoice own) {
        ViewerAccess mode = own.viewerAccess() == null ? null : ViewerAccess.parse(own.viewerAccess());
        if (mode == ViewerAccess.TOKEN && !access.tokensEnabled()) {
            // Stored by a node with secrets (a cluster whose nodes differ): closed here rather than open.
            log.error("room {}: viewer access token without relay.access.secrets on this node: nobody can watch it here", id);
        }
        access.set(id, mode);
        if (!own.setsBandwidth()) {
            bandwidth.configure(id, null);
        } else {
            bandwidth.configure(id, own.requirement(bandwidth.settings().defaults()));
        }
    }

    /** Validates the bandwidth and viewer access fields of a request (names are stored in lower case). */
    private BandwidthChoice checkBandwidth(BandwidthChoice given) {
        Double mbps = given.requiredMbps();
        if (mbps != null && !(mbps >= BandwidthConfig.MIN_MBPS && mbps <= BandwidthConfig.MAX_MBPS)) {
            throw AdminException.invalid("requiredMbps", "requiredMbps must be a number of Mbit/s from " + BandwidthConfig.MIN_MBPS
                    + " to 100000");
        }
        String policy = null;
        if (given.policy() != null) {
            try {
                policy = BandwidthPolicy.parse(given.policy()).label();
            } catch (IllegalArgumentException e) {
                throw AdminException.invalid("bandwidthPolicy", "bandwidthPolicy must be enforce, warn or off");
            }
        }
        String viewerAccess = null;
        if (given.viewerAccess() != null) {
            ViewerAccess mode = ViewerAccess.parse(given.viewerAccess());
            if (mode == null) {
                throw AdminException.invalid("viewerAccess", "viewerAccess must be open or token");
            }
            if (mode == ViewerAccess.TOKEN && !access.tokensEnabled()) {
                throw AdminException.invalid("viewerAccess", "viewerAccess token needs relay.access.secrets on the server");
            }
            viewerAccess = mode.label();
        }
        if (Boolean.TRUE.equals(given.record()) && recording == null) {
            throw AdminException.invalid("record", "recording is not set up on this server: set relay.recording.enabled "
                    + "(record: false then keeps a room out), or record = true on a room of the config file");
        }
        String recordStart = BandwidthChoice.checkRecordStart(given.recordStart());
        if (recordStart != null && recording == null) {
            throw AdminException.invalid("recordStart", "recording is not set up on this server: set relay.recording.enabled, "
                    + "or record = true on a room of the config file");
        }
        RoomRecording r = recording;
        String dvrWindow = BandwidthChoice.checkDvrWindow(given.dvrWindow(), r == null ? null : r.shortestDvrWindow());
        if (dvrWindow != null && r == null && !dvrWindow.equals(BandwidthChoice.formatDvrWindow(Duration.ZERO))) {
            throw AdminException.invalid("dvrWindow", "recording is not set up on this server, and a live DVR window is "
                    + "served from a room's recording: set relay.recording.enabled, or record = true on a room of the "
                    + "config file");
        }
        return new BandwidthChoice(mbps, policy, viewerAccess, given.record(), recordStart, dvrWindow);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The room, refusing a change while another change to it is being stored. */
    Room requireSettled(String id) {
        Room room = require(id);
        if (pending.containsKey(id)) {
            throw AdminException.conflict(null, "another change to room '" + id + "' is being saved: retry");
        }
        return room;
    }

    private Room require(String id) {
        return rooms.findById(id).orElseThrow(() -> AdminException.notFound("no room '" + id + "'"));
    }

    void checkNameFree(String app, String streamName, String exceptId) {
        boolean pendingUse = pending.values().stream().anyMatch(r -> r != null && !r.id().equals(exceptId) && r.app().equals(app)
                && r.usesStreamName(streamName));
        if (pendingUse || rooms.all().stream().anyMatch(r -> !r.id().equals(exceptId) && r.app().equals(app)
                && r.usesStreamName(streamName))) {
            throw AdminException.conflict("streamName", "this stream name is already bound to another room");
        }
    }

    private static String checkApp(String app) {
        if (!StreamNames.isValidId(app)) {
            throw AdminException.invalid("app", "app must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return app;
    }

    /** The ids of all rooms, and {@code id} (the room being created or changed). */
    Set<String> roomIdsAnd(String id) {
        Set<String> ids = new HashSet<>();
        rooms.all().forEach(r -> ids.add(r.id()));
        ids.add(id);
        return ids;
    }

    /** The one stream name rule ({@link StreamNames#problem(String, java.util.Collection)}), reported on {@code field}. */
    static String checkStreamName(String field, String context, String name, Set<String> roomIds) {
        String problem = StreamNames.problem(name, roomIds);
        if (problem != null) {
            throw AdminException.invalid(field, context + problem);
        }
        return name;
    }

    /**
     * A title is shown on watch pages and written to logs: no control characters (NUL, ESC, line breaks), no
     * unpaired surrogates and no text-direction embeddings, overrides or isolates, which could make a title or the
     * log line it is in read differently from what it holds.
     */
    static String checkTitle(String title) {
        if (title.isBlank() || title.length() > 200) {
            throw AdminException.invalid("title", "title must be 1 to 200 characters");
        }
        boolean bad = title.codePoints().anyMatch(c -> switch (Character.getType(c)) {
            case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SURROGATE -> true;
            default -> (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
        });
        if (bad) {
            throw AdminException.invalid("title", "title must not contain control characters or text-direction overrides");
        }
        return title;
    }
}
