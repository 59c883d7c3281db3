package fluxrelay.egress;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;

/**
 * The kernel's TCP figures of a connection (Linux TCP_INFO, through Netty's epoll transport): smoothed round
 * trip, segments in flight, congestion window. One getsockopt per {@link #read}; nothing is allocated, so
 * one instance per thread serves every read on it. Other transports have no figures: {@link #read} says
 * false.
 */
public final class TcpFigures {

    private final EpollTcpInfo info = new EpollTcpInfo();
    private boolean valid;

    /** True when the transport can report kernel figures at all. */
    public static boolean available(Channel channel) {
        return channel instanceof EpollSocketChannel;
    }

    /** Reads the figures of {@code channel}; false (and no figures) when the transport has none or it is closed. */
    public boolean read(Channel channel) {
        valid = false;
        if (channel instanceof EpollSocketChannel epoll && epoll.isOpen()) {
            try {
                epoll.tcpInfo(info);
                valid = true;
            } catch (RuntimeException e) {
                // The socket closed under us: no figures.
            }
        }
        return valid;
    }

    /** Smoothed round-trip time, microseconds. */
    public long rttMicros() {
        return valid ? info.rtt() : -1;
    }

    /** Segments sent and not yet acknowledged. */
    public long unackedSegments() {
        return valid ? info.unacked() : -1;
    }

    /** Congestion window, segments. */
    public long congestionWindow() {
        return valid ? info.sndCwnd() : -1;
    }

    /** Sender maximum segment size, bytes. */
    public long mss() {
        return valid ? info.sndMss() : -1;
    }

    /** Retransmitted segments over the connection's life. */
    public long totalRetransmits() {
        return valid ? info.totalRetrans() : -1;
    }

    /** The rate the congestion window allows, bit/s (window over round trip), or -1. */
    public long windowRateBitsPerSecond() {
        long rtt = rttMicros();
        if (!valid || rtt <= 0) {
            return -1;
        }
        return info.sndCwnd() * info.sndMss() * 8 * 1_000_000 / rtt;
    }
}
