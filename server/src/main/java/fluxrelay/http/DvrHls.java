package fluxrelay.http;

import fluxrelay.recording.DvrWindow;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's live DVR window over HLS, for {@link HlsRoute} once it admitted the viewer (access tokens, bandwidth
 * policy, cluster forwarding as for the room's other HLS files): {@code /hls/{room-id}/dvr.m3u8} and the init and
 * media segments it lists, each read from the recording's fragment file on the download threads, never on an event
 * loop, then answered as live segments are (ranges, validators, CORS, delivery timing for the bandwidth policy).
 */
public final class DvrHls {

    private static final Logger log = LoggerFactory.getLogger(DvrHls.class);
    private static final String INIT_TYPE = "video/mp4";
    private static final String SEGMENT_TYPE = "video/iso.segment";

    private final Function<String, Optional<DvrWindow>> windows;
    private final Executor files;

    /**
     * @param windows a room's DVR window by room id, while one is served
     * @param files where segments are read from disk (never an event loop)
     */
    public DvrHls(Function<String, Optional<DvrWindow>> windows, Executor files) {
        this.windows = windows;
        this.files = files;
    }

    /** True for the file names of a DVR window: its playlist and its segments. */
    static boolean owns(String file) {
        return DvrWindow.owns(file);
    }

    /**
     * Answers an admitted request for a DVR file of {@code room}.
     *
     * @param playlistCaching Cache-Control of a playlist without tokens
     * @param privateCaching Cache-Control of a viewer's own playlist (with its tokens)
     * @param segmentCaching Cache-Control of a segment
     */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, String room, String file, LowLatencyHls.Viewer viewer,
                String playlistCaching, String privateCaching, String segmentCaching) {
        Optional<DvrWindow> window = windows.apply(room);
        if (window.isEmpty()) {
            HlsRoute.notFound(ctx, request, "This room has no live DVR window now (dvr-window, on a recording room).");
            return;
        }
        if (file.equals(DvrWindow.PLAYLIST)) {
            Optional<DvrWindow.Playlist> playlist = window.get().playlist();
            if (playlist.isEmpty()) {
                HlsRoute.notFound(ctx, request, "The room's DVR window has no segment yet.");
                return;
            }
            PlaylistTokens tokens = viewer.tokens();
            String text = tokens.any() ? tokens.writeInto(playlist.get().text()) : playlist.get().text();
            HlsRoute.serve(ctx, request, Unpooled.copiedBuffer(text, StandardCharsets.UTF_8), HlsRoute.PLAYLIST_TYPE,
                    tokens.any() ? privateCaching : playlistCaching, playlist.get().etag(), playlist.get().lastModified(), null, null);
            return;
        }
        Optional<DvrWindow.Range> range = window.get().file(file);
        if (range.isEmpty()) {
            HlsRoute.notFound(ctx, request, "No such segment in the room's DVR window.");
            return;
        }
        long lastModified = window.get().playlist().map(DvrWindow.Playlist::lastModified).orElse(System.currentTimeMillis());
        String type = file.endsWith(".m4s") ? SEGMENT_TYPE : INIT_TYPE;
        FullHttpRequest kept = request.retainedDuplicate();
        try {
            files.execute(() -> read(ctx, kept, range.get(), type, segmentCaching, lastModified, viewer));
        } catch (RejectedExecutionException e) {
            kept.release();
            HlsRoute.problem(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down.", 1);
        }
    }

    /** On a download thread: reads the segment, then answers on the channel's event loop. */
    private static void read(ChannelHandlerContext ctx, FullHttpRequest request, DvrWindow.Range range, String type,
                             String cacheControl, long lastModified, LowLatencyHls.Viewer viewer) {
        ByteBuf data;
        try {
            data = range.read(ctx.alloc());
        } catch (IOException | RuntimeException e) {
            log.warn("DVR segment {} could not be read: {}", range.name(), e.toString());
            ctx.executor().execute(() -> {
                try {
                    HlsRoute.problem(ctx, request, HttpResponseStatus.NOT_FOUND, "The segment is no longer on disk.", 0);
                } finally {
                    request.release();
                }
            });
            return;
        }
        ctx.executor().execute(() -> {
            try {
                HlsRoute.serve(ctx, request, data, type, cacheControl, "\"" + range.name() + "\"", lastModified,
                        viewer.bandwidth(), viewer.client());
            } finally {
                request.release();
            }
        });
    }
}
