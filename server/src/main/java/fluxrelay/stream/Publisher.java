package fluxrelay.stream;

import java.net.SocketAddress;

/**
 * What the hub needs to know of a publisher to judge whether it is dead and to end it.
 *
 * <p>Implemented by the protocol adapter; methods may be called from any thread.
 */
public interface Publisher {

    /** {@link System#nanoTime()} of the last bytes received from the publisher. */
    long lastActivityNanos();

    /** False once the connection is gone. */
    boolean isConnected();

    /** Where the publisher connects from, for logs. */
    SocketAddress remoteAddress();

    /** Ends the publisher with a status it can show (taken over, room deleted, key rotated). */
    void evict(String reason);

    /**
     * True for a publisher relaying another node's publish (a cluster edge's pull): outputs that the origin serves for
     * the whole cluster, HLS, are not made from it, so that every node answers with the origin's.
     */
    default boolean relayed() {
        return false;
    }
}
