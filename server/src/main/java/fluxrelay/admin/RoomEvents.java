package fluxrelay.admin;

import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Room;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent events of each room, for the console's room page ({@code GET /api/rooms/{id}/events}): publishes started,
 * ended and refused, GO LIVE and off air, program switches, inputs added and removed, key rotations, inputs whose codec
 * parameters differ from the main input's, and refused viewers. Each room keeps its last
 * {@link #PER_ROOM} events in memory (a node's own events; they do not survive a restart). Refused viewers are
 * aggregated: a refusal within {@link #AGGREGATE} of the room's newest refusal for the same reason adds to its count, so
 * a crowd of refused HLS players is one event, not a flood. Protocol-neutral and thread-safe; fed by the composition.
 */
public final class RoomEvents implements ActivityListener {

    /** How many events each room keeps (the oldest is forgotten first). */
    public static final int PER_ROOM = 100;
    /** Refused viewers for one reason within this time of the last such event are counted in it. */
    public static final Duration AGGREGATE = Duration.ofMinutes(1);

    /**
     * One event.
     *
     * @param time when it happened
     * @param type what happened: publish_started, publish_ended, publish_refused, live, off_air, program_switched,
     *             key_rotated, input_added, input_removed, input_mismatch, rendition_added, rendition_removed,
     *             rendition_key_rotated, viewer_refused
     * @param detail its particulars (input, encoder, address, reason, from, to, count...)
     */
    public record Event(Instant time, String type, Map<String, Object> detail) {

        /** The event as the admin API shows it. */
        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("time", time.toString());
            out.put("type", type);
            out.put("detail", detail);
            return out;
        }
    }

    private final Clock clock;
    private final Map<String, Deque<Event>> rooms = new ConcurrentHashMap<>();

    public RoomEvents(Clock clock) {
        this.clock = clock;
    }

    /** The room's events, newest first. */
    public List<Event> recent(String roomId) {
        Deque<Event> ring = rooms.get(roomId);
        if (ring == null) {
            return List.of();
        }
        synchronized (ring) {
            List<Event> out = new ArrayList<>(ring);
            Collections.reverse(out);
            return out;
        }
    }

    /** Forgets a deleted room's events. */
    public void forget(String roomId) {
        rooms.remove(roomId);
    }

    /** An encoder began publishing into an input of the room. */
    @Override
    public void publishStarted(Room room, String input, String encoder, SocketAddress from) {
        add(room.id(), "publish_started", details("input", input, "encoder", encoder, "address", address(from)));
    }

    @Override
    public void publishEnded(Room room, String streamName, SocketAddress from, long durationMillis, long bytes) {
        String input = room.feeds().stream().filter(f -> f.streamName().equals(streamName)).map(f -> f.id()).findFirst()
                .orElse(null);
        add(room.id(), "publish_ended", details("input", input, "address", address(from), "durationSeconds",
                durationMillis / 1000, "bytes", bytes));
    }

    /** A publish into an input of the room was refused; {@code reason} is the short label the metrics use. */
    @Override
    public void publishRefused(Room room, String input, String reason, SocketAddress from) {
        add(room.id(), "publish_refused", details("input", input, "reason", reason, "address", address(from)));
    }

    /** The room was shown to all (GO LIVE) or taken off the air by an operator. */
    public void live(String roomId, boolean live) {
        add(roomId, live ? "live" : "off_air", Map.of());
    }

    /** The room's program went from one input ({@code from}, null when none was on air) to another. */
    public void programSwitched(String roomId, String from, String to, String reason) {
        add(roomId, "program_switched", details("from", from, "to", to, "reason", reason));
    }

    /** An input's stream key was replaced. */
    public void keyRotated(String roomId, String input) {
        add(roomId, "key_rotated", details("input", input));
    }

    @Override
    public void inputKeyRotated(Room room, String input) {
        keyRotated(room.id(), input);
    }

    /** An input was added to the room (its stream name is not kept: the events are shown in the console). */
    @Override
    public void inputAdded(Room room, String input, String role) {
        add(room.id(), "input_added", details("input", input, "role", role));
    }

    @Override
    public void inputRemoved(Room room, String input) {
        add(room.id(), "input_removed", details("input", input));
    }

    /** A rendition stream name was added, removed or given a new key ({@code rendition_added}, ...); never the name. */
    @Override
    public void renditionChanged(Room room, String rendition, String change) {
        add(room.id(), "rendition_" + change, details("rendition", rendition));
    }

    /** An input's codec parameters began or ceased to differ from the main input's ({@code mismatch} true or false). */
    @Override
    public void inputMismatch(Room room, String input, String main, boolean differs, List<String> tracks) {
        add(room.id(), "input_mismatch", details("input", input, "main", main, "mismatch", differs, "tracks", List.copyOf(tracks)));
    }

    /**
     * A viewer was refused; counted into the room's latest refusal for the same reason when it is recent.
     *
     * @param reason why, e.g. {@code bandwidth_too_slow}, {@code access_missing}, {@code full}
     */
    public void viewerRefused(String roomId, String reason) {
        Deque<Event> ring = rooms.computeIfAbsent(roomId, id -> new ArrayDeque<>());
        Instant now = clock.instant();
        synchronized (ring) {
            for (Event event : ring) {
                if (event.type().equals("viewer_refused") && reason.equals(event.detail().get("reason"))
                        && !event.time().plus(AGGREGATE).isBefore(now)) {
                    ring.remove(event);
                    long count = ((Number) event.detail().get("count")).longValue() + 1;
                    push(ring, new Event(now, "viewer_refused", details("reason", reason, "count", count,
                            "since", event.detail().get("since"))));
                    return;
                }
            }
            push(ring, new Event(now, "viewer_refused", details("reason", reason, "count", 1L, "since", now.toString())));
        }
    }

    private void add(String roomId, String type, Map<String, Object> detail) {
        Deque<Event> ring = rooms.computeIfAbsent(roomId, id -> new ArrayDeque<>());
        synchronized (ring) {
            push(ring, new Event(clock.instant(), type, detail));
        }
    }

    private static void push(Deque<Event> ring, Event event) {
        ring.addLast(event);
        while (ring.size() > PER_ROOM) {
            ring.removeFirst();
        }
    }

    /** Pairs of name and value, nulls left out. */
    private static Map<String, Object> details(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] != null) {
                out.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static String address(SocketAddress from) {
        return from instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress()
                : from == null ? null : String.valueOf(from);
    }
}
