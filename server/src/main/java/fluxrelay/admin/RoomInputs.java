package fluxrelay.admin;

import fluxrelay.config.StreamNames;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What operators do to a room's inputs at runtime: list, add, remove, rotate one input's stream name. Each change
 * goes through the room admin's store (rooms file or a cluster's shared store) and is applied once stored, as every
 * other room change is: a removed input's publisher is ended and its hub removed, a rotated key ends the publisher
 * with the old one ({@link RoomAdmin#applyStored}). Each stored change is told to the room's events and the platform
 * ({@link RoomAdmin#tellInputChanges}), without the stream name.
 */
public final class RoomInputs {

    /** Inputs one room may declare, at creation and after. */
    static final int MAX_INPUTS = 16;

    /** Input ids: short, lower case, usable in a URL path. */
    private static final Pattern INPUT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /** The room admin's logger: every admin change is logged under one name. */
    private static final Logger log = LoggerFactory.getLogger(RoomAdmin.class);

    private final RoomAdmin admin;

    RoomInputs(RoomAdmin admin) {
        this.admin = admin;
    }

    /**
     * The room's inputs as its view lists them (id, role, stream name, live state).
     *
     * @throws AdminException 404 for an unknown room
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list(String id) {
        return (List<Map<String, Object>>) admin.get(id).get("inputs");
    }

    /**
     * Adds an input to a room, after its others; the stream name is generated when not given.
     *
     * @return the room's view once the change is stored
     * @throws AdminException 400 for a bad id, role or stream name, 404 for an unknown room, 409 for an id taken in the
     *                        room, a stream name bound elsewhere, or a room that has {@link #MAX_INPUTS} already
     */
    public CompletableFuture<Map<String, Object>> add(String id, InputSpec input, String caller) {
        Room changed;
        Feed feed;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            checkId(input.id(), "id");
            checkRole(input.role(), "role");
            if (room.feed(input.id()).isPresent()) {
                throw AdminException.conflict("id", "room '" + id + "' already has an input '" + input.id() + "'");
            }
            if (room.feeds().size() >= MAX_INPUTS) {
                throw AdminException.conflict("id", "a room has at most " + MAX_INPUTS + " inputs");
            }
            String name = input.streamName() == null ? StreamNames.generate()
                    : RoomAdmin.checkStreamName("streamName", "", input.streamName(), admin.roomIdsAnd(id));
            if (room.feedByStreamName(name).isPresent()) {
                throw AdminException.conflict("streamName", "this stream name is already bound to another input of the room");
            }
            admin.checkNameFree(room.app(), name, id);
            feed = new Feed(input.id(), name, input.role());
            List<Feed> feeds = new ArrayList<>(room.feeds());
            feeds.add(feed);
            changed = room.withFeeds(feeds);
            stored = admin.store(id, changed, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            log.info("admin: input {} added to room {} by {}", feed.id(), id, caller);
            admin.inputChanges().inputAdded(changed, feed.id(), feed.role());
            return admin.view(changed);
        });
    }

    /**
     * Removes an input other than the main (first) one: its publisher is ended with a status saying why, its hub
     * removed; if it was on the room's program, the program fails over as when an encoder disconnects.
     *
     * @throws AdminException 404 for an unknown room or input, 409 for the main input
     */
    public CompletableFuture<Map<String, Object>> remove(String id, String inputId, String caller) {
        Room changed;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            Feed feed = requireInput(room, inputId);
            if (feed.equals(room.mainFeed())) {
                throw AdminException.conflict("input", "input '" + inputId + "' is the room's main input: it cannot be removed "
                        + "(delete the room, or rotate its stream name)");
            }
            List<Feed> feeds = new ArrayList<>(room.feeds());
            feeds.remove(feed);
            changed = room.withFeeds(feeds);
            stored = admin.store(id, changed, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            log.info("admin: input {} removed from room {} by {}", inputId, id, caller);
            admin.inputChanges().inputRemoved(changed, inputId);
            return admin.view(changed);
        });
    }

    /**
     * Replaces an input's stream name (generated unless given); a live publisher with the old name is ended.
     *
     * @param inputId the input, or null for the main one
     * @throws AdminException 400 for a bad stream name, 404 for an unknown room or input, 409 for a name bound elsewhere
     */
    public CompletableFuture<Map<String, Object>> rotate(String id, String inputId, String requested, String caller) {
        Room rotated;
        Feed feed;
        CompletableFuture<Void> stored;
        synchronized (admin.writeLock) {
            Room room = admin.requireSettled(id);
            Feed before = inputId == null ? room.mainFeed() : requireInput(room, inputId);
            String name = requested == null ? StreamNames.generate()
                    : RoomAdmin.checkStreamName("streamName", "", requested, admin.roomIdsAnd(id));
            if (room.feedByStreamName(name).filter(other -> !other.id().equals(before.id())).isPresent()) {
                throw AdminException.conflict("streamName", "this stream name is already bound to another input of the room");
            }
            admin.checkNameFree(room.app(), name, id);
            feed = before.withStreamName(name);
            List<Feed> feeds = new ArrayList<>(room.feeds());
            feeds.set(feeds.indexOf(before), feed);
            rotated = room.withFeeds(feeds);
            stored = admin.store(id, rotated, admin.own(id), false);
        }
        return stored.thenApply(v -> {
            if (inputId == null) {
                log.info("admin: stream name of room {} rotated by {}", id, caller);
            } else {
                log.info("admin: stream name of input {} of room {} rotated by {}", feed.id(), id, caller);
            }
            admin.inputChanges().inputKeyRotated(rotated, feed.id());
            return admin.view(rotated);
        });
    }

    /** The feeds a create asks for: its inputs, or one {@code main} input with its stream name. */
    static List<Feed> feeds(RoomSpec spec, Set<String> roomIds) {
        if (spec.inputs() == null) {
            String name = spec.streamName() == null ? StreamNames.generate()
                    : RoomAdmin.checkStreamName("streamName", "", spec.streamName(), roomIds);
            return List.of(new Feed(Feed.MAIN, name));
        }
        if (spec.streamName() != null) {
            throw AdminException.invalid("streamName", "give either streamName or inputs, not both");
        }
        if (spec.inputs().isEmpty() || spec.inputs().size() > MAX_INPUTS) {
            throw AdminException.invalid("inputs", "a room has 1 to " + MAX_INPUTS + " inputs");
        }
        List<Feed> feeds = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (InputSpec input : spec.inputs()) {
            checkId(input == null ? null : input.id(), "inputs");
            checkRole(input.role(), "inputs");
            String name = input.streamName() == null ? StreamNames.generate()
                    : RoomAdmin.checkStreamName("inputs", "input '" + input.id() + "': ", input.streamName(), roomIds);
            if (!ids.add(input.id()) || !names.add(name)) {
                throw AdminException.invalid("inputs", "input ids and stream names must differ within a room");
            }
            feeds.add(new Feed(input.id(), name, input.role()));
        }
        return feeds;
    }

    private static Feed requireInput(Room room, String inputId) {
        return room.feed(inputId).orElseThrow(() -> AdminException.notFound("room '" + room.id() + "' has no input '" + inputId + "'"));
    }

    /** The input id rule, reported on {@code field}. */
    static void checkId(String id, String field) {
        if (id == null || !INPUT_ID.matcher(id).matches()) {
            throw AdminException.invalid(field, "an input id is 1 to 32 lower-case letters, digits or '-', starting with a letter or digit");
        }
        if (Feed.PROGRAM.equals(id)) {
            throw AdminException.invalid(field, "the input id 'program' is reserved for the room's program");
        }
    }

    /** An input's role: absent, main or backup. */
    static void checkRole(String role, String field) {
        if (role != null && !Feed.ROLE_MAIN.equals(role) && !Feed.ROLE_BACKUP.equals(role)) {
            throw AdminException.invalid(field, "an input's role is main or backup");
        }
    }
}
