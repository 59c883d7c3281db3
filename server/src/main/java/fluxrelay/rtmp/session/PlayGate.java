package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.bandwidth.RoomBandwidth;
import fluxrelay.bandwidth.VerdictSource;
import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a {@code play} may start, by the room's bandwidth policy and what is known of the
 * connection's link: a probe token in the play name's query, or this connection's bandwidth detection.
 * Under {@code enforce} a viewer with neither is measured first; under {@code warn} a viewer below plays
 * with a warning; under {@code off} everyone plays.
 */
final class PlayGate {

    /** What to do with the play. */
    sealed interface Decision {
        /** Start playing; {@code warning} is the below verdict a {@code warn} room plays on with, or null. */
        record Play(BandwidthVerdict warning) implements Decision {
        }

        /** Run bandwidth detection first, then decide again. */
        record Measure() implements Decision {
        }

        /** Refuse with the verdict's figures. */
        record Refuse(BandwidthVerdict verdict) implements Decision {
        }
    }

    private final BandwidthRegistry registry;

    PlayGate(BandwidthRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param roomId the room asked for
     * @param query the play name's query parameters
     * @param detected this connection's detection result, or null
     * @param detecting detection is running on this connection
     * @param viewer the remote address, for verdicts
     */
    Decision decide(String roomId, Map<String, String> query, Measurement detected, boolean detecting, String viewer) {
        if (detecting) {
            // Bursts and media would share the link and spoil both: the play waits for the result.
            return new Decision.Measure();
        }
        BandwidthRequirement requirement = registry.requirement(roomId);
        if (!requirement.checked()) {
            return new Decision.Play(null);
        }
        RoomBandwidth room = registry.room(roomId);
        BandwidthVerdict verdict = fromToken(roomId, query.get(registry.settings().tokenParameter()), requirement, viewer)
                .orElse(null);
        if (verdict == null && detected != null) {
            verdict = BandwidthVerdict.judge(registry.clock().instant(), roomId, viewer, VerdictSource.RTMP_DETECTION, detected,
                    requirement);
            room.record(verdict);
        }
        if (verdict == null) {
            return requirement.policy() == BandwidthPolicy.ENFORCE ? new Decision.Measure() : new Decision.Play(null);
        }
        if (verdict.ok()) {
            return new Decision.Play(null);
        }
        if (requirement.policy() == BandwidthPolicy.ENFORCE) {
            room.refused(verdict);
            return new Decision.Refuse(verdict);
        }
        return new Decision.Play(verdict);
    }

    private Optional<BandwidthVerdict> fromToken(String roomId, String token, BandwidthRequirement requirement, String viewer) {
        if (token == null) {
            return Optional.empty();
        }
        Optional<ProbeTokens.Claims> claims = registry.tokens().verify(token, roomId);
        return claims.map(c -> BandwidthVerdict.judge(registry.clock().instant(), roomId, viewer, VerdictSource.TOKEN,
                c.measurement(), requirement));
    }
}
