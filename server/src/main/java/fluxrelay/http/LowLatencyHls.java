package fluxrelay.http;

import fluxrelay.hls.HlsRoom;
import fluxrelay.hls.LowLatencyPlaylist;
import fluxrelay.hls.LowLatencyView;
import fluxrelay.hls.SegmentContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a room's fMP4 Low-Latency HLS rendition under {@code /hls/{room-id}/}: {@code ll.m3u8} with
 * blocking playlist reload ({@code _HLS_msn} and {@code _HLS_part}, RFC 8216bis 6.2.5.2), the initialization
 * segment, segments and partial segments, and the preload-hinted next part held until it exists (6.2.6).
 * Waiting requests hold no thread ({@link BlockingWait}); they end after three target durations with 503,
 * and a request for a segment more than two beyond the playlist's last gets 400.
 */
final class LowLatencyHls {

    /**
     * Who asks, for the bandwidth side: the client its media responses are credited to (null when the room is
     * not monitored) and the tokens to write into an answered playlist's URIs.
     */
    record Viewer(HlsBandwidth bandwidth, HlsBandwidth.Client client, PlaylistTokens tokens) {
    }

    private final String cacheControl;
    private final String privateCacheControl;
    private final String segmentCacheControl;

    /** @param privateCacheControl for playlists that carry a viewer's token */
    LowLatencyHls(String cacheControl, String privateCacheControl, String segmentCacheControl) {
        this.cacheControl = cacheControl;
        this.privateCacheControl = privateCacheControl;
        this.segmentCacheControl = segmentCacheControl;
    }

    /** True when {@code file} names something of the fMP4 rendition. */
    static boolean owns(String file) {
        return file.equals(HlsRoom.LOW_LATENCY_PLAYLIST) || file.endsWith(".m4s") || file.endsWith(".mp4");
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest request, HlsRoom room, String file, Viewer viewer) {
        handle(ctx, request, room, file, viewer, () -> "");
    }

    /**
     * @param reports the EXT-X-RENDITION-REPORT lines of the program's other quality renditions, asked for as the
     *                playlist is sent (after a blocking reload, they are as fresh as the playlist); "" for none
     */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request, HlsRoom room, String file, Viewer viewer,
                java.util.function.Supplier<String> reports) {
        if (!room.hasLowLatency()) {
            HlsRoute.notFound(ctx, request, "This room has no low-latency HLS output.");
            return;
        }
        FullHttpRequest held = request.replace(Unpooled.EMPTY_BUFFER); // headers outlive the router's release
        if (file.equals(HlsRoom.LOW_LATENCY_PLAYLIST)) {
            playlist(ctx, held, room, viewer, reports);
        } else {
            media(ctx, held, room, file, viewer);
        }
    }

    private void playlist(ChannelHandlerContext ctx, FullHttpRequest request, HlsRoom room, Viewer viewer,
                          java.util.function.Supplier<String> reports) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        long msn;
        int part;
        try {
            msn = query.containsKey("_HLS_msn") ? Long.parseLong(query.get("_HLS_msn").get(0)) : -1;
            part = query.containsKey("_HLS_part") ? Integer.parseInt(query.get("_HLS_part").get(0)) : -1;
        } catch (NumberFormatException e) {
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "_HLS_msn and _HLS_part must be numbers.");
            return;
        }
        if (msn < 0 && part >= 0 || msn < -1 || part < -1) {
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "_HLS_part needs _HLS_msn; both at least 0.");
            return;
        }
        Optional<LowLatencyPlaylist> current = room.lowLatencyPlaylist();
        if (current.isEmpty() && room.startHoldMs() > 0) {
            // A failover's new publish before its first segment: wait for it rather than answer that nothing is live.
            new BlockingWait(ctx, room, () -> room.lowLatencyPlaylist().map(p -> msn < 0 || p.view().contains(msn, part)
                    || p.view().base().mediaSequence() > msn).orElse(false),
                    () -> sendPlaylist(ctx, request, room.lowLatencyPlaylist().orElseThrow(), viewer, reports),
                    () -> HlsRoute.problem(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "The room's stream is moving to another node; try again.", 1))
                    .start(room.startHoldMs());
            return;
        }
        if (current.isEmpty()) {
            HlsRoute.notFound(ctx, request, "The room is not live yet.");
            return;
        }
        if (msn < 0 || current.get().view().contains(msn, part)) {
            sendPlaylist(ctx, request, current.get(), viewer, reports);
            return;
        }
        if (current.get().view().tooFarAhead(msn)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "_HLS_msn is more than two segments ahead.");
            return;
        }
        new BlockingWait(ctx, room, () -> room.lowLatencyPlaylist().map(p -> p.view().contains(msn, part)).orElse(false),
                () -> sendPlaylist(ctx, request, room.lowLatencyPlaylist().orElseThrow(), viewer, reports),
                () -> HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The part did not come in time."))
                .start(timeoutMillis(current.get().view()));
    }

    private void sendPlaylist(ChannelHandlerContext ctx, FullHttpRequest request, LowLatencyPlaylist playlist, Viewer viewer,
                              java.util.function.Supplier<String> reports) {
        boolean tokened = viewer.tokens().any();
        String added = playlist.view().base().ended() ? "" : reports.get();
        String text = playlist.text() + added;
        if (tokened) {
            text = viewer.tokens().writeInto(text);
        }
        // The reports change with the other renditions: they are part of what the tag names.
        String tag = added.isEmpty() ? playlist.tag()
                : playlist.tag().substring(0, playlist.tag().length() - 1) + "-" + Integer.toHexString(added.hashCode()) + "\"";
        ByteBuf body = Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)); // as fast as a copy for ASCII text
        HlsRoute.serve(ctx, request, body, HlsRoute.PLAYLIST_TYPE, tokened ? privateCacheControl : cacheControl, tag,
                playlist.lastModified(), null, null);
    }

    private void media(ChannelHandlerContext ctx, FullHttpRequest request, HlsRoom room, String file, Viewer viewer) {
        Optional<SegmentContent> content = room.lowLatencySegment(file);
        if (content.isPresent()) {
            sendMedia(ctx, request, room, content.get(), viewer);
            return;
        }
        Optional<LowLatencyPlaylist> current = room.lowLatencyPlaylist();
        if (current.isEmpty() || !file.equals(current.get().view().preloadHint())) {
            HlsRoute.notFound(ctx, request, "No such segment.");
            return;
        }
        new BlockingWait(ctx, room, () -> room.lowLatencySegment(file).map(c -> {
            c.data().release();
            return true;
        }).orElse(false), () -> room.lowLatencySegment(file).ifPresentOrElse(c -> sendMedia(ctx, request, room, c, viewer),
                () -> HlsRoute.notFound(ctx, request, "No such segment.")),
                () -> HlsRoute.notFound(ctx, request, "The hinted part did not come in time."))
                .start(timeoutMillis(current.get().view()));
    }

    /** Segments and parts large enough to measure are timed for the viewer (init segments are too small). */
    private void sendMedia(ChannelHandlerContext ctx, FullHttpRequest request, HlsRoom room, SegmentContent content,
                           Viewer viewer) {
        HlsRoute.serve(ctx, request, content.data(), room.lowLatencyContentType(), segmentCacheControl,
                "\"" + content.info().name() + "\"", content.info().completedAt(), viewer.bandwidth(), viewer.client());
    }

    /** Three target durations (RFC 8216bis 6.2.5.2 suggests failing a blocked request after that). */
    private static long timeoutMillis(LowLatencyView view) {
        return 3000L * view.base().targetDuration();
    }
}
