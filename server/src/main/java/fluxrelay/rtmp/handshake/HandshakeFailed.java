package fluxrelay.rtmp.handshake;

import java.util.Objects;

/**
 * Fired when a handshake fails, just before the handler closes the channel (for
 * {@link HandshakeIssue#PEER_CLOSED}, when it is already closing). Nothing is passed on after it.
 *
 * @param issue what went wrong
 */
public record HandshakeFailed(HandshakeIssue issue) implements HandshakeEvent {

    public HandshakeFailed {
        Objects.requireNonNull(issue, "issue");
    }

    /** The issue's metric label, for example {@code "bad_version"} or {@code "timeout"}. */
    public String reason() {
        return issue.label();
    }
}
