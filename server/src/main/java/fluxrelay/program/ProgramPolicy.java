package fluxrelay.program;

import fluxrelay.rooms.ProgramSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * When a room's program changes input by itself ({@code relay.program}).
 *
 * @param failoverAfter the input on air is given up after this long without media (or at once when it disconnects)
 * @param failbackAfter the main input must deliver media this long before the program goes back to it
 * @param autoFailback false: the program goes back to the main input only by hand
 */
public record ProgramPolicy(Duration failoverAfter, Duration failbackAfter, boolean autoFailback) {

    /** The defaults of {@code config/reference.conf}. */
    public static final ProgramPolicy DEFAULTS = new ProgramPolicy(Duration.ofMillis(1500), Duration.ofSeconds(10), true);

    public ProgramPolicy {
        Objects.requireNonNull(failoverAfter, "failoverAfter");
        Objects.requireNonNull(failbackAfter, "failbackAfter");
        if (failoverAfter.isNegative() || failoverAfter.isZero() || failbackAfter.isNegative()) {
            throw new IllegalArgumentException("failover-after must be positive and failback-after not negative");
        }
    }

    /** A room's own settings over these: what that room's program follows. */
    public ProgramPolicy with(ProgramSettings own) {
        return own.isEmpty() ? this : new ProgramPolicy(own.failoverAfter() != null ? own.failoverAfter() : failoverAfter,
                own.failbackAfter() != null ? own.failbackAfter() : failbackAfter,
                own.autoFailback() != null ? own.autoFailback() : autoFailback);
    }
}
