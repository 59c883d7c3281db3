package fluxrelay.rooms;

import java.time.Duration;

/**
 * A room's own program switching settings ({@code failover-after}, {@code failback-after}, {@code failback} of a room);
 * a null field follows the server-wide {@code relay.program} value, so a changed default still reaches rooms that never
 * set it.
 *
 * @param failoverAfter how long the input on air may send no media before the program leaves it, or null
 * @param failbackAfter how long the main input must be healthy before the program goes back to it, or null
 * @param autoFailback true: back to the main input by itself ("auto"); false: only by hand ("manual"); null: the default
 */
public record ProgramSettings(Duration failoverAfter, Duration failbackAfter, Boolean autoFailback) {

    /** Nothing set: the room follows {@code relay.program}. */
    public static final ProgramSettings NONE = new ProgramSettings(null, null, null);

    public ProgramSettings {
        if (failoverAfter != null && (failoverAfter.isNegative() || failoverAfter.isZero())) {
            throw new IllegalArgumentException("failover-after must be positive");
        }
        if (failbackAfter != null && failbackAfter.isNegative()) {
            throw new IllegalArgumentException("failback-after must not be negative");
        }
    }

    /** These settings over {@code other}'s, field by field: what a PATCH gives. */
    public ProgramSettings over(ProgramSettings other) {
        return new ProgramSettings(failoverAfter != null ? failoverAfter : other.failoverAfter,
                failbackAfter != null ? failbackAfter : other.failbackAfter,
                autoFailback != null ? autoFailback : other.autoFailback);
    }

    /** True when the room sets no field. */
    public boolean isEmpty() {
        return failoverAfter == null && failbackAfter == null && autoFailback == null;
    }

    /** The {@code failback} spelling of {@link #autoFailback}: "auto", "manual", or null. */
    public String failback() {
        return autoFailback == null ? null : autoFailback ? "auto" : "manual";
    }
}
