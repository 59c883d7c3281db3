package fluxrelay.loadtest.hls;

import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.stamp.LoadClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One simulated Low-Latency HLS player (hls.js in {@code lowLatencyMode}) on one keep-alive HTTP/1.1 connection:
 * loads {@code ll.m3u8}, fetches the initialization segment (EXT-X-MAP) once and again when it changes, starts at the
 * newest part, then loops: a blocking playlist reload asking for the next part ({@code _HLS_msn}, {@code _HLS_part},
 * RFC 8216bis 6.2.5.2; the first part of the next segment once a segment is complete), and a download of every part the
 * reload announced (its BYTERANGE when it has one). Against a server that cannot hold a reload (a web server serving
 * the files) it polls instead: a plain reload one part target after the previous request when it brought new parts,
 * half of one when it did not.
 *
 * <p>Each part announced by a reload is measured: its delivery delay (the playlist announcing it received to the part
 * received whole) and its age (received whole to its last sample's capture by EXT-X-PROGRAM-DATE-TIME). A browser uses a
 * second connection for media while a reload is held; on one connection the requests are the same, one after another,
 * which adds a part's transfer time to the next reload, never to a part's delay. Part bodies are counted, not kept.
 */
public final class LowLatencyHlsPlayer extends HttpPlayer {

    private enum Fetch { NONE, PLAYLIST, INIT, PART }

    /** A part to fetch, with when the playlist announcing it arrived ({@code announcedNanos} -1: listed at the start). */
    private record Pending(PartPlaylist.Part part, long announcedNanos) {
    }

    private final boolean blocking;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Fetch fetch = Fetch.NONE;
    private long partBytes;
    private Pending current;
    private String initFetched;
    private String pendingInit;
    private PartPlaylist last;
    private long lastMsn = Long.MIN_VALUE;
    private int lastIndex = -1;
    private long playlistRequestedNanos;
    private boolean reloadBroughtParts;
    private boolean reloadAdvanced;

    /**
     * @param playlistUri the {@code ll.m3u8} URL
     * @param blocking true to hold reloads with {@code _HLS_msn}/{@code _HLS_part} (when the playlist says
     *     CAN-BLOCK-RELOAD=YES); false to poll, for a server that ignores them
     */
    public LowLatencyHlsPlayer(URI playlistUri, boolean blocking, ViewerStats stats) {
        super(playlistUri, stats);
        this.blocking = blocking;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        requestPlaylist(null);
        ctx.fireChannelActive();
    }

    /** The playlist, asking the server to hold it until {@code next} is listed (null: at once). */
    private void requestPlaylist(PartPlaylist.PartRef next) {
        playlistRequestedNanos = System.nanoTime();
        String query = next == null ? null : "_HLS_msn=" + next.msn() + "&_HLS_part=" + next.part();
        send(playlistUri, query, null, Fetch.PLAYLIST);
    }

    private void send(URI target, String extraQuery, String range, Fetch kind) {
        fetch = kind;
        get(target, extraQuery, range);
    }

    @Override
    void body(ByteBuf content) {
        if (status != 200 && status != 206) {
            return;
        }
        if (fetch == Fetch.PART) {
            partBytes += content.readableBytes();
        } else if (fetch == Fetch.PLAYLIST) {
            if (playlistBody == null) {
                playlistBody = ctx.alloc().buffer(4096);
            }
            if (playlistBody.readableBytes() + content.readableBytes() > MAX_PLAYLIST_BYTES) {
                fail("playlist larger than " + MAX_PLAYLIST_BYTES + " bytes");
                return;
            }
            playlistBody.writeBytes(content);
        }
    }

    @Override
    void complete() {
        Fetch done = fetch;
        fetch = Fetch.NONE;
        long now = System.nanoTime();
        switch (done) {
            case PLAYLIST -> {
                String text = playlistBody == null ? "" : playlistBody.toString(StandardCharsets.UTF_8);
                if (playlistBody != null) {
                    playlistBody.release();
                    playlistBody = null;
                }
                if (!playlist(text, now)) {
                    return;
                }
            }
            case INIT -> {
                if (status != 200) {
                    fail("initialization segment: HTTP " + status);
                    return;
                }
                initFetched = pendingInit;
            }
            case PART -> {
                if (status != 200 && status != 206) {
                    fail("part: HTTP " + status);
                    return;
                }
                part(now);
            }
            default -> {
                return;
            }
        }
        if (!closing) {
            next();
        }
    }

    /** A part arrived whole: the first one starts playback; announced ones are measured. */
    private void part(long now) {
        PartPlaylist.Part part = current.part();
        stats.media(now, (int) Math.min(Integer.MAX_VALUE, partBytes), 1, true);
        partBytes = 0;
        if (current.announcedNanos() >= 0) {
            long available = part.availableAtMillis();
            long age = available < 0 ? -1 : Math.max(0, LoadClock.microsAt(now) - available * 1000);
            stats.part(TimeUnit.NANOSECONDS.toMicros(now - current.announcedNanos()), age);
        }
        current = null;
    }

    /** Handles a playlist response; false when the viewer stopped or waits for a timer. */
    private boolean playlist(String text, long now) {
        if (status == 404 && last == null) {
            // Not live yet: a player keeps trying.
            schedule(TimeUnit.MILLISECONDS.toNanos(NOT_FOUND_RETRY_MILLIS), null);
            return false;
        }
        if (status != 200) {
            fail("playlist: HTTP " + status);
            return false;
        }
        PartPlaylist parsed;
        try {
            parsed = PartPlaylistParser.parse(text);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return false;
        }
        if (parsed.last() == null && !parsed.ended()) {
            if (last == null) {
                schedule(TimeUnit.MILLISECONDS.toNanos(NOT_FOUND_RETRY_MILLIS), null);
                return false;
            }
            fail("playlist without parts");
            return false;
        }
        int queued = queue.size();
        if (last == null) {
            // Start at the newest part, as close to live as a player may; it is not measured (it was not announced now).
            PartPlaylist.Part newest = parsed.last();
            if (newest != null) {
                queue.add(new Pending(newest, -1));
                lastMsn = newest.msn();
                lastIndex = newest.index();
            }
        } else {
            for (PartPlaylist.Part part : parsed.after(lastMsn, lastIndex)) {
                queue.add(new Pending(part, now));
                lastMsn = part.msn();
                lastIndex = part.index();
            }
        }
        reloadBroughtParts = queue.size() > queued;
        // A completed segment brings no part but moves the next part to ask for to the next segment.
        reloadAdvanced = reloadBroughtParts || last == null || !parsed.next().equals(last.next());
        last = parsed;
        return true;
    }

    /** After a response: the init segment if it changed, the next part, or the next reload. */
    private void next() {
        if (fetch != Fetch.NONE || closing) {
            return;
        }
        Pending pending = queue.peek();
        if (pending != null) {
            String map = pending.part().map();
            if (map != null && !map.equals(initFetched)) {
                URI target = resolve(map, "init segment");
                if (target != null) {
                    pendingInit = map;
                    send(target, null, null, Fetch.INIT);
                }
                return;
            }
            queue.poll();
            URI target = resolve(pending.part().uri(), "part");
            if (target != null) {
                current = pending;
                partBytes = 0;
                PartPlaylist.Part part = pending.part();
                String range = part.offset() < 0 ? null : "bytes=" + part.offset() + "-" + (part.offset() + part.length() - 1);
                send(target, null, range, Fetch.PART);
            }
            return;
        }
        if (last.ended()) {
            return;
        }
        long partTarget = TimeUnit.MILLISECONDS.toNanos(Math.round(1000 * (Double.isNaN(last.partTargetSeconds())
                ? last.targetDurationSeconds() : last.partTargetSeconds())));
        if (blocking && last.canBlockReload()) {
            if (reloadAdvanced) {
                requestPlaylist(last.next());
            } else {
                // Answered with nothing new: do not spin on a server that does not hold reloads.
                schedule(partTarget / 2, last.next());
            }
        } else {
            schedule(playlistRequestedNanos + (reloadBroughtParts ? partTarget : partTarget / 2) - System.nanoTime(), null);
        }
    }

    private void schedule(long delayNanos, PartPlaylist.PartRef next) {
        reload = ctx.executor().schedule(() -> {
            if (!closing && fetch == Fetch.NONE) {
                requestPlaylist(next);
            }
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }
}
