package fluxrelay.hls;

/**
 * Where a feed's HLS numbering goes on (RFC 8216 6.2.1, 6.2.2): the media sequence number of the next segment and
 * the discontinuity sequence number before it, counting every {@code EXT-X-DISCONTINUITY} the feed's playlists ever
 * carried. A packager that starts at such a position (another node packaged the feed before, and died) numbers its
 * first segment {@code mediaSequence} and puts an {@code EXT-X-DISCONTINUITY} before it, so a player that loaded the
 * earlier playlists sees the sequence go on instead of back.
 *
 * @param mediaSequence the sequence number of the next segment
 * @param discontinuitySequence discontinuities before that segment
 */
public record HlsStart(long mediaSequence, long discontinuitySequence) {

    public HlsStart {
        if (mediaSequence < 0 || discontinuitySequence < 0) {
            throw new IllegalArgumentException("negative HLS position");
        }
    }
}
