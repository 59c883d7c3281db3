package fluxrelay.rtmp.handshake;

import java.util.Objects;

/**
 * Fired for a tolerated oddity (a mismatched C2 or S2 while {@link HandshakeLimits#echoMismatchFatal()} is
 * off, or a digest fallback); the handshake carries on.
 *
 * @param issue what was odd
 */
public record HandshakeWarning(HandshakeIssue issue) implements HandshakeEvent {

    public HandshakeWarning {
        Objects.requireNonNull(issue, "issue");
    }

    /** The issue's metric label, for example {@code "c2_mismatch"}. */
    public String reason() {
        return issue.label();
    }
}
