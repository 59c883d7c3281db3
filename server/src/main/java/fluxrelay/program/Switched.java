package fluxrelay.program;

import java.time.Instant;

/**
 * A switch of a room's program that took effect.
 *
 * @param at when the target's keyframe went on air
 * @param from the input on air before, or null (none was)
 * @param input the input on air now
 * @param reason why
 * @param parametersChanged the new input's sequence headers differ from the old one's (HLS marks a discontinuity)
 */
public record Switched(Instant at, String from, String input, SwitchReason reason, boolean parametersChanged) {
}
