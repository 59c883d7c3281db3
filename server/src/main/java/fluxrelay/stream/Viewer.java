package fluxrelay.stream;

import java.net.SocketAddress;

/**
 * A subscriber that is a person watching (RTMP or HTTP-FLV), as operators see it: listed per room and
 * kickable. Packagers are subscribers but not viewers.
 */
public interface Viewer extends StreamSubscriber {

    /** Server-unique id, stable for the connection's life. */
    long viewerId();

    /** "rtmp" or "http-flv". */
    String protocol();

    /** Where the viewer connects from. */
    SocketAddress remoteAddress();

    /** Wall-clock ms when the viewer joined. */
    long joinedAtMillis();

    /** Payload bytes handed to the connection. */
    long bytesSent();

    /** Frames dropped for this viewer, by reason. */
    DropCounters drops();

    /** True while the viewer is behind (its queue above the high mark). */
    boolean lagging();

    /** Disconnects the viewer with a reason it is told; safe from any thread. */
    void kick(String reason);

    /**
     * True for another cluster node's pull of the feed (it serves that node's viewers): not a person, so not
     * counted among the room's viewers.
     */
    default boolean internal() {
        return false;
    }

    /** The attendee id of the access token the viewer was admitted with, or null (open rooms, tokens naming none). */
    default String attendee() {
        return null;
    }
}
