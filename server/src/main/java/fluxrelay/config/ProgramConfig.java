package fluxrelay.config;

import java.time.Duration;

/**
 * When a room's program changes input by itself ({@code relay.program}): every room with several inputs follows it.
 *
 * @param failoverAfter the input on air is given up after this long without media (at once when it disconnects)
 * @param failbackAfter the main input must deliver media this long before the program goes back to it
 * @param autoFailback {@code failback = auto}: go back to the main input by itself; {@code manual}: only by hand
 * @param switchWait how long {@code POST /api/rooms/{id}/program} waits for the target's keyframe before answering
 *                   202 (pending)
 */
public record ProgramConfig(Duration failoverAfter, Duration failbackAfter, boolean autoFailback, Duration switchWait) {

    /** The defaults of reference.conf. */
    public static final ProgramConfig DEFAULTS = new ProgramConfig(Duration.ofMillis(1500), Duration.ofSeconds(10), true,
            Duration.ofSeconds(4));
}
