package fluxrelay.http;

import fluxrelay.admin.AdminException;
import fluxrelay.recording.Recorder;
import fluxrelay.recording.Recording;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The recordings part of the admin API, served by {@link AdminRoute} behind its access checks.
 *
 * <pre>
 * GET    /api/recordings                 every recording, oldest first
 * GET    /api/rooms/{id}/recordings      a room's recordings
 * GET    /api/recordings/{id}            one recording
 * GET    /api/recordings/{id}/file       its MP4 (Range requests answered), once ready
 * GET    /api/recordings/{id}/replay     a signed, expiring HLS replay link {url, expires} (404 without access secrets)
 * DELETE /api/recordings/{id}            delete a ready or failed recording and its files (409 while recording)
 * </pre>
 */
public final class RecordingsApi {

    static final String PREFIX = "/api/recordings";

    private final Recorder recorder;
    private final Executor files;
    private final ReplayLinks links;

    /**
     * @param files where recording files are read for downloads (never an event loop)
     * @param links signs replay links
     */
    public RecordingsApi(Recorder recorder, Executor files, ReplayLinks links) {
        this.recorder = recorder;
        this.files = files;
        this.links = links;
    }

    /** True for the paths this API answers. */
    static boolean handles(String path) {
        if (path.equals(PREFIX) || path.startsWith(PREFIX + "/")) {
            return true;
        }
        String[] parts = path.split("/");
        return parts.length == 5 && path.startsWith("/api/rooms/") && parts[4].equals("recordings");
    }

    /** The answer's value (JSON-able) or null when the response was sent here (a file). */
    CompletableFuture<?> handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        String[] parts = path.split("/"); // "", "api", "recordings" | "rooms", ...
        if (parts[2].equals("rooms")) {
            requireGet(method);
            return done(Map.of("recordings", views(recorder.list(parts[3]))));
        }
        if (parts.length == 3) {
            requireGet(method);
            return done(Map.of("recordings", views(recorder.list())));
        }
        String id = parts[3];
        Recording recording = recorder.find(id).orElseThrow(() -> new AdminException(404, null, "no recording " + id));
        if (parts.length == 4) {
            if (HttpMethod.GET.equals(method)) {
                return done(view(recording));
            }
            if (HttpMethod.DELETE.equals(method)) {
                return recorder.delete(id).handle((deleted, error) -> {
                    if (error instanceof IllegalStateException || error != null && error.getCause() instanceof IllegalStateException) {
                        throw new AdminException(409, null, (error.getCause() != null ? error.getCause() : error).getMessage());
                    }
                    if (error != null) {
                        throw new AdminException(500, null, "the recording could not be deleted: " + error.getMessage());
                    }
                    if (!deleted) {
                        throw new AdminException(404, null, "no recording " + id);
                    }
                    return Map.of("deleted", id);
                });
            }
            throw new AdminException(405, null, "Method not allowed here.");
        }
        if (parts.length == 5 && parts[4].equals("replay")) {
            requireGet(method);
            if (!links.enabled()) {
                throw new AdminException(404, null, "replay links need a secret in relay.access.secrets");
            }
            if (recording.state() != fluxrelay.recording.RecordingState.READY) {
                throw new AdminException(409, null, "recording " + id + " is " + recording.state().label()
                        + "; it can be replayed once ready");
            }
            java.time.Instant expires = links.expiry();
            return done(Map.of("url", "/replay/" + id + "/index.m3u8" + links.query(id, expires), "expires", expires.toString()));
        }
        if (parts.length == 5 && parts[4].equals("file")) {
            if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
                throw new AdminException(405, null, "Method not allowed here.");
            }
            if (recording.state() != fluxrelay.recording.RecordingState.READY) {
                throw new AdminException(409, null, "recording " + id + " is " + recording.state().label()
                        + "; its file can be downloaded once ready");
            }
            FileResponse.send(ctx, new FileResponse.Request(request.headers().get(HttpHeaderNames.RANGE),
                    HttpMethod.HEAD.equals(method), HttpUtil.isKeepAlive(request)), recording.file(), "video/mp4",
                    "attachment; filename=\"" + id + ".mp4\"", files);
            return null;
        }
        throw new AdminException(404, null, "No such admin resource.");
    }

    private static void requireGet(HttpMethod method) {
        if (!HttpMethod.GET.equals(method)) {
            throw new AdminException(405, null, "Method not allowed here.");
        }
    }

    private static CompletableFuture<Object> done(Object value) {
        return CompletableFuture.completedFuture(value);
    }

    private static List<Map<String, Object>> views(List<Recording> recordings) {
        return recordings.stream().map(RecordingsApi::view).toList();
    }

    /** The API's view of a recording: no server paths. */
    static Map<String, Object> view(Recording r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", r.id());
        view.put("room", r.room());
        view.put("start", r.start().toString());
        view.put("end", r.end() == null ? null : r.end().toString());
        view.put("duration", r.durationSeconds());
        view.put("size", r.size());
        view.put("codecs", r.codecs());
        view.put("state", r.state().label());
        if (r.error() != null) {
            view.put("error", r.error());
        }
        return view;
    }
}
