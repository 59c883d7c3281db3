package fluxrelay.rtmp.handshake;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-connection handshake limits, handed to each handler's constructor.
 *
 * @param timeout           how long a connection may take from becoming active to a finished handshake
 *                          before it is closed with {@link HandshakeIssue#TIMEOUT}
 * @param echoMismatchFatal whether a peer's answer that does not match what we sent (C2 on the server side,
 *                          S2 on the client side) closes the connection; when {@code false} it is logged,
 *                          reported as a {@link HandshakeWarning} and the handshake carries on, as most servers do
 */
public record HandshakeLimits(Duration timeout, boolean echoMismatchFatal) {

    /** Ten seconds, mismatches tolerated. */
    public static HandshakeLimits defaults() {
        return new HandshakeLimits(Duration.ofSeconds(10), false);
    }

    public HandshakeLimits {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
        }
    }
}
