package fluxrelay.loadtest.hls;

import fluxrelay.loadtest.metrics.ViewerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One simulated HLS player on one keep-alive HTTP/1.1 connection: loads the playlist (following a
 * multivariant playlist to its first variant), starts three target durations from the live edge, downloads
 * every new segment in order, and reloads the playlist as RFC 8216 6.3.4 says: a target duration after a
 * load that changed it, half of one after a load that did not. Playback is modelled by {@link Playout}, so
 * stalls are pauses a real player would show. Segment bodies are counted, not kept.
 */
public final class HlsPlayer extends HttpPlayer {

    private enum Fetch { NONE, PLAYLIST, SEGMENT }

    private final Playout playout = new Playout();
    private final ArrayDeque<Playlist.Segment> queue = new ArrayDeque<>();
    private Fetch fetch = Fetch.NONE;
    private double segmentDuration;
    private String lastPlaylist;
    private long playlistRequestedNanos;
    private long nextSequence = -1;
    private boolean reloadDue;

    public HlsPlayer(URI playlistUri, ViewerStats stats) {
        super(playlistUri, stats);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        requestPlaylist();
        ctx.fireChannelActive();
    }

    private void requestPlaylist() {
        reloadDue = false;
        playlistRequestedNanos = System.nanoTime();
        send(playlistUri, Fetch.PLAYLIST);
    }

    private void send(URI target, Fetch kind) {
        fetch = kind;
        get(target, null, null);
    }

    @Override
    void body(ByteBuf content) {
        if (status != 200) {
            return;
        }
        if (fetch == Fetch.SEGMENT) {
            stats.media(System.nanoTime(), content.readableBytes(), 0, false);
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
        if (done == Fetch.PLAYLIST) {
            String text = playlistBody == null ? "" : playlistBody.toString(StandardCharsets.UTF_8);
            if (playlistBody != null) {
                playlistBody.release();
                playlistBody = null;
            }
            playlist(text);
        } else if (done == Fetch.SEGMENT) {
            if (status != 200) {
                fail("segment: HTTP " + status);
                return;
            }
            long now = System.nanoTime();
            long stall = playout.segment(now, segmentDuration);
            if (stall > 0) {
                stats.rebufferStart(now - stall);
                stats.rebufferEnd(now);
            }
            stats.media(now, 0, 1, true);
        }
        if (!closing) {
            next();
        }
    }

    private void playlist(String text) {
        if (status == 404 && nextSequence < 0) {
            // The stream has not started yet: a player keeps trying.
            scheduleReload(TimeUnit.MILLISECONDS.toNanos(NOT_FOUND_RETRY_MILLIS));
            return;
        }
        if (status != 200) {
            fail("playlist: HTTP " + status);
            return;
        }
        Playlist parsed;
        try {
            parsed = PlaylistParser.parse(text);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        if (parsed instanceof Playlist.Multivariant multivariant) {
            playlistUri = resolve(multivariant.variants().get(0).uri(), "variant");
            if (playlistUri != null) {
                requestPlaylist();
            }
            return;
        }
        Playlist.Media media = (Playlist.Media) parsed;
        if (nextSequence < 0) {
            nextSequence = media.liveStartSequence();
        } else if (media.mediaSequence() > nextSequence) {
            nextSequence = media.mediaSequence();
        }
        for (Playlist.Segment segment : media.from(nextSequence)) {
            queue.add(segment);
        }
        nextSequence = Math.max(nextSequence, media.endSequence());
        boolean changed = !text.equals(lastPlaylist);
        lastPlaylist = text;
        long target = TimeUnit.SECONDS.toNanos(Math.max(1, media.targetDurationSeconds()));
        long wait = playlistRequestedNanos + (changed ? target : target / 2) - System.nanoTime();
        if (!media.ended()) {
            scheduleReload(wait);
        }
        long now = System.nanoTime();
        if (playout.stalled(now)) {
            stats.rebufferStart(playout.dryAtNanos());
        }
    }

    private void scheduleReload(long delayNanos) {
        reload = ctx.executor().schedule(() -> {
            if (closing) {
                return;
            }
            if (fetch == Fetch.NONE) {
                requestPlaylist();
            } else {
                reloadDue = true;
            }
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** After a response: the next segment, a reload that came due meanwhile, or nothing until the timer. */
    private void next() {
        if (fetch != Fetch.NONE) {
            return;
        }
        Playlist.Segment segment = queue.poll();
        if (segment != null) {
            URI target = resolve(segment.uri(), "segment");
            if (target != null) {
                segmentDuration = segment.durationSeconds();
                send(target, Fetch.SEGMENT);
            }
        } else if (reloadDue) {
            requestPlaylist();
        }
    }
}
