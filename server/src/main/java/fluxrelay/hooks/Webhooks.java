package fluxrelay.hooks;

import fluxrelay.config.WebhooksConfig;
import fluxrelay.logging.LogText;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.PublishDecision;
import fluxrelay.rooms.PublishGate;
import fluxrelay.rooms.PublishRequest;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform integration: {@code on_publish} decides on publishes (2xx allows, optionally naming the
 * room with {@code {"room": "id"}}; 4xx denies, optionally with {@code {"reason": "..."}}; unreachable,
 * timeout or 5xx follow the configured failure policy), and the other hooks are told of publishes and
 * plays ending or starting, of program switches and of changes to rooms' inputs, with bounded retries (never after a
 * timeout).
 */
public final class Webhooks implements PublishGate, ActivityListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);

    private final WebhooksConfig config;
    private final PublishAuthorizer local;
    private final RoomRegistry rooms;
    private final WebhookClient client;

    public Webhooks(WebhooksConfig config, PublishAuthorizer local, RoomRegistry rooms) {
        this.config = config;
        this.local = local;
        this.rooms = rooms;
        this.client = new WebhookClient(config.timeout(), config.maxResponseBytes(), Executors.newCachedThreadPool(daemon("webhook")),
                Executors.newSingleThreadScheduledExecutor(daemon("webhook-retry")));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public CompletionStage<PublishDecision> decide(PublishRequest request) {
        if (config.onPublish() == null) {
            return local.decide(request);
        }
        Map<String, Object> event = event("publish", request.app(), request.remoteAddress());
        event.put("name", request.streamName());
        event.put("query", request.query());
        return client.post(config.onPublish(), event).handle((response, error) -> {
            if (error != null || response.statusCode() >= 500) {
                String why = error != null ? error.toString() : "HTTP " + response.statusCode();
                log.warn("on_publish webhook unavailable ({}): {} the publish from {}", why,
                        config.allowWhenDown() ? "allowing" : "refusing", request.remoteAddress());
                return config.allowWhenDown() ? local.decideNow(request)
                        : new PublishDecision.Denied("webhook_unavailable", "Publishing is unavailable right now: try again shortly.");
            }
            Map<String, Object> body = client.body(response);
            if (response.statusCode() >= 300) {
                Object reason = body.get("reason");
                return new PublishDecision.Denied("webhook_denied",
                        reason instanceof String text && !text.isBlank() ? text : "Publishing was refused by the platform.");
            }
            Object mapped = body.get("room");
            if (mapped instanceof String id) {
                Optional<Room> room = rooms.findById(id);
                if (room.isEmpty()) {
                    log.warn("on_publish webhook named unknown room '{}'", LogText.of(id));
                    return new PublishDecision.Denied("webhook_unknown_room", "The platform named a room this server does not know.");
                }
                return new PublishDecision.Allowed(room.get());
            }
            return local.decideNow(request);
        });
    }

    @Override
    public void publishEnded(Room room, String streamName, SocketAddress from, long durationMillis, long bytes) {
        if (config.onPublishDone() != null) {
            Map<String, Object> event = event("publish_done", room.app(), from);
            event.put("room", room.id());
            event.put("name", streamName);
            event.put("duration_ms", durationMillis);
            event.put("bytes", bytes);
            notify(config.onPublishDone(), event);
        }
    }

    @Override
    public void playStarted(Room room, String protocol, SocketAddress from) {
        if (config.onPlay() != null) {
            Map<String, Object> event = event("play", room.app(), from);
            event.put("room", room.id());
            event.put("protocol", protocol);
            notify(config.onPlay(), event);
        }
    }

    @Override
    public void playEnded(Room room, String protocol, SocketAddress from, long durationMillis, long bytes) {
        if (config.onPlayDone() != null) {
            Map<String, Object> event = event("play_done", room.app(), from);
            event.put("room", room.id());
            event.put("protocol", protocol);
            event.put("duration_ms", durationMillis);
            event.put("bytes", bytes);
            notify(config.onPlayDone(), event);
        }
    }

    /**
     * Tells {@code relay.webhooks.on-recording} about a recording: {@code action} is {@code recording.started},
     * {@code recording.ready} or {@code recording.failed}; {@code fields} describe the recording.
     */
    public void recording(String action, Map<String, Object> fields) {
        if (config.onRecording() != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("action", action);
            event.putAll(fields);
            event.put("time", java.time.Instant.now().toString());
            notify(config.onRecording(), event);
        }
    }

    /**
     * Tells the platform that a room's program went to another input ({@code room.program_changed}).
     *
     * @param from the input on air before, or null
     * @param reason failover, failback or manual
     */
    public void programChanged(Room room, String from, String input, String reason, boolean parametersChanged) {
        if (config.onProgramChanged() != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("action", "room.program_changed");
            event.put("app", room.app());
            event.put("room", room.id());
            event.put("from", from);
            event.put("input", input);
            event.put("reason", reason);
            event.put("parameters_changed", parametersChanged);
            event.put("time", java.time.Instant.now().toString());
            notify(config.onProgramChanged(), event);
        }
    }

    @Override
    public void inputAdded(Room room, String input, String role) {
        inputChanged(room, "room.input_added", input, Map.of("role", role));
    }

    @Override
    public void inputRemoved(Room room, String input) {
        inputChanged(room, "room.input_removed", input, Map.of());
    }

    @Override
    public void inputKeyRotated(Room room, String input) {
        inputChanged(room, "room.input_key_rotated", input, Map.of());
    }

    @Override
    public void inputMismatch(Room room, String input, String main, boolean differs, List<String> tracks) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("main", main);
        fields.put("mismatch", differs);
        fields.put("tracks", List.copyOf(tracks));
        inputChanged(room, "room.input_mismatch", input, fields);
    }

    /**
     * {@code room.rendition_added}, {@code room.rendition_removed}, {@code room.rendition_key_rotated} to
     * {@code relay.webhooks.on-input-changed}: a rendition stream name is an input of its own encoder. Never the name.
     */
    @Override
    public void renditionChanged(Room room, String rendition, String change) {
        if (config.onInputChanged() != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("action", "room.rendition_" + change);
            event.put("app", room.app());
            event.put("room", room.id());
            event.put("rendition", rendition);
            event.put("time", java.time.Instant.now().toString());
            notify(config.onInputChanged(), event);
        }
    }

    /** Tells {@code relay.webhooks.on-input-changed} of a change to one of the room's inputs; never its stream name. */
    private void inputChanged(Room room, String action, String input, Map<String, Object> fields) {
        if (config.onInputChanged() != null) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("action", action);
            event.put("app", room.app());
            event.put("room", room.id());
            event.put("input", input);
            event.putAll(fields);
            event.put("time", java.time.Instant.now().toString());
            notify(config.onInputChanged(), event);
        }
    }

    private void notify(URI uri, Map<String, Object> event) {
        client.notify(uri, event, config.retries(), config.retryBackoff());
    }

    private static Map<String, Object> event(String action, String app, SocketAddress from) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("action", action);
        event.put("app", app);
        event.put("addr", from instanceof InetSocketAddress inet && inet.getAddress() != null ? inet.getAddress().getHostAddress()
                : String.valueOf(from));
        event.put("time", java.time.Instant.now().toString());
        return event;
    }

    @Override
    public void close() {
        client.close();
    }
}
