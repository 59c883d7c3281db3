package fluxrelay.http;

import fluxrelay.recording.Recorder;
import fluxrelay.recording.Recording;
import fluxrelay.recording.RecordingState;
import fluxrelay.recording.Replay;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a ready recording as HLS VOD for browsers with seeking, behind a signed, expiring link ({@link ReplayLinks}):
 * {@code GET /replay/{id}/index.m3u8}, {@code init.mp4} and {@code {n}.m4s}, each with the link's token. Segments are
 * cut from the MP4 on the download threads, never on an event loop; the index of recent recordings is kept.
 */
public final class ReplayRoute implements HttpRoute {

    private static final Logger log = LoggerFactory.getLogger(ReplayRoute.class);
    private static final String PREFIX = "/replay/";
    /** Recordings whose index is kept between requests. */
    private static final int KEPT = 16;

    private final Recorder recorder;
    private final ReplayLinks links;
    private final Executor files;
    private final Map<String, Replay> replays = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Replay> eldest) {
            return size() > KEPT;
        }
    };

    /**
     * @param files where recordings are read (never an event loop)
     */
    public ReplayRoute(Recorder recorder, ReplayLinks links, Executor files) {
        this.recorder = recorder;
        this.links = links;
        this.files = files;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = path.substring(PREFIX.length()).split("/");
        if (parts.length != 2) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such replay.");
            return true;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Method not allowed here.");
            return true;
        }
        String id = parts[0];
        List<String> token = new QueryStringDecoder(request.uri()).parameters().get(ReplayLinks.PARAMETER);
        if (!links.opens(token == null ? null : token.get(0), id)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.FORBIDDEN, "This replay link is not valid (or has expired).");
            return true;
        }
        Recording recording = recorder.find(id).filter(r -> r.state() == RecordingState.READY).orElse(null);
        if (recording == null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such replay.");
            return true;
        }
        String name = parts[1];
        String query = "?" + ReplayLinks.PARAMETER + "=" + java.net.URLEncoder.encode(token.get(0), java.nio.charset.StandardCharsets.UTF_8);
        request.retain();
        try {
            files.execute(() -> {
                try {
                    answer(ctx, request, recording, name, query);
                } finally {
                    request.release();
                }
            });
        } catch (RejectedExecutionException e) {
            request.release();
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down.");
        }
        return true;
    }

    /** On a download thread. */
    private void answer(ChannelHandlerContext ctx, FullHttpRequest request, Recording recording, String name, String query) {
        try {
            Replay replay = replay(recording);
            if (name.equals("index.m3u8")) {
                send(ctx, request, "application/vnd.apple.mpegurl", io.netty.buffer.Unpooled.copiedBuffer(replay.playlist(query),
                        java.nio.charset.StandardCharsets.UTF_8));
            } else if (name.equals("init.mp4")) {
                send(ctx, request, "video/mp4", replay.init(ctx.alloc()));
            } else if (name.matches("\\d{1,9}\\.m4s") && Integer.parseInt(name.substring(0, name.length() - 4)) < replay.segments()) {
                send(ctx, request, "video/iso.segment", replay.segment(Integer.parseInt(name.substring(0, name.length() - 4)), ctx.alloc()));
            } else {
                ctx.executor().execute(() -> HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such replay file."));
            }
        } catch (java.io.IOException | RuntimeException e) {
            log.warn("replay of recording {} failed: {}", recording.id(), e.toString());
            ctx.executor().execute(() -> HttpResponses.error(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "The recording could not be read."));
        }
    }

    private Replay replay(Recording recording) throws java.io.IOException {
        synchronized (replays) {
            Replay kept = replays.get(recording.id());
            if (kept != null) {
                return kept;
            }
        }
        Replay opened = Replay.open(recording.file());
        synchronized (replays) {
            replays.put(recording.id(), opened);
        }
        return opened;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, String contentType, ByteBuf body) {
        request.retain();
        ctx.executor().execute(() -> {
            try {
                io.netty.handler.codec.http.DefaultHttpHeaders headers = new io.netty.handler.codec.http.DefaultHttpHeaders();
                headers.set(io.netty.handler.codec.http.HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
                HttpResponses.send(ctx, request, HttpResponseStatus.OK, contentType, body, headers);
            } finally {
                request.release();
            }
        });
    }
}
