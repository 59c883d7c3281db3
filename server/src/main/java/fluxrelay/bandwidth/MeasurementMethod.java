package fluxrelay.bandwidth;

import java.util.Locale;

/** Which evidence of delivery a measured rate rests on, best first. */
public enum MeasurementMethod {

    /** The kernel's TCP state (epoll TCP_INFO): the client's TCP acknowledged every byte. */
    TCP_ACKS,
    /** The client answered each burst (RTMP {@code onBWCheck} replies), timed by the server's clock. */
    CLIENT_REPLIES,
    /** What the socket drained during playback while the viewer was backlogged. */
    SOCKET_DRAIN,
    /** HLS segment responses, from the first byte written to the last byte handed to the socket. */
    SEGMENT_DELIVERY,
    /** Only the completion of writes into the socket buffer (no kernel figures, no replies): an upper bound. */
    WRITE_COMPLETION;

    /** The JSON and log spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
