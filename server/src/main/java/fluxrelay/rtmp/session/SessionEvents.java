package fluxrelay.rtmp.session;

/**
 * What RTMP sessions report for counting (metrics): handshake failures by reason and protocol errors
 * (publish refusals are the ingest service's). Implementations are cheap and thread-safe.
 */
public interface SessionEvents {

    /** Counts nothing. */
    SessionEvents NONE = new SessionEvents() {
    };

    /** The handshake failed; {@code reason} is a short fixed label (bad_version, timeout, ...). */
    default void handshakeFailed(String reason) {
    }

    /** A framing error closed a connection. */
    default void protocolError() {
    }
}
