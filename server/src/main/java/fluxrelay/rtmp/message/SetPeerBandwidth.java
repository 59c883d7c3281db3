package fluxrelay.rtmp.message;

/**
 * Set Peer Bandwidth (RTMP spec 5.4.5, type 6).
 *
 * @param size window size in bytes
 * @param limitType 0 hard, 1 soft, 2 dynamic
 */
public record SetPeerBandwidth(long size, int limitType) implements RtmpMessage {

    /** Limit type 2: dynamic. */
    public static final int DYNAMIC = 2;
}
