package fluxrelay.admin;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;
import java.util.Locale;

/**
 * A room's own settings that follow a server default when unset, as an operator or the config file gave them:
 * its bandwidth requirement and policy ({@code relay.bandwidth}), its viewer access ({@code relay.access}), whether
 * it records and when its recordings start ({@code relay.recording}); a null field follows the server default, so a
 * changed default still reaches rooms that never set it.
 *
 * @param requiredMbps the room's required download rate, Mbit/s, or null
 * @param policy "enforce", "warn" or "off", or null
 * @param viewerAccess "open" or "token", or null
 * @param record whether the room's sessions are recorded, or null
 * @param recordStart {@value #PUBLISH} or {@value #GO_LIVE}, when its recordings start, or null
 */
public record BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record, String recordStart) {

    /** {@code recordStart}: a session starts when the encoder publishes, before GO LIVE too. */
    public static final String PUBLISH = "publish";
    /** {@code recordStart}: a session starts once the room is on the air. */
    public static final String GO_LIVE = "go-live";

    /** Nothing set: the room follows the defaults. */
    public static final BandwidthChoice NONE = new BandwidthChoice(null, null, null, null, null);

    /** Bandwidth settings, viewer access and recording; the recording start follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record) {
        this(requiredMbps, policy, viewerAccess, record, null);
    }

    /** Bandwidth settings and viewer access; recording follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess) {
        this(requiredMbps, policy, viewerAccess, null, null);
    }

    /** Bandwidth settings only; the viewer access follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy) {
        this(requiredMbps, policy, null, null, null);
    }

    /** True when the room sets no field. */
    public boolean isEmpty() {
        return requiredMbps == null && policy == null && viewerAccess == null && record == null && recordStart == null;
    }

    /** True when the room sets its own bandwidth requirement or policy. */
    public boolean setsBandwidth() {
        return requiredMbps != null || policy != null;
    }

    /** These settings over {@code other}'s: what a PATCH or a persisted room over the config file gives. */
    public BandwidthChoice over(BandwidthChoice other) {
        return new BandwidthChoice(requiredMbps != null ? requiredMbps : other.requiredMbps,
                policy != null ? policy : other.policy, viewerAccess != null ? viewerAccess : other.viewerAccess,
                record != null ? record : other.record, recordStart != null ? recordStart : other.recordStart);
    }

    /** These settings with the recording start following the default again (a PATCH's {@code "recordStart": null}). */
    public BandwidthChoice withoutRecordStart() {
        return new BandwidthChoice(requiredMbps, policy, viewerAccess, record, null);
    }

    /** The requirement the room has with these settings, the rest from {@code defaults}. */
    public BandwidthRequirement requirement(BandwidthRequirement defaults) {
        return BandwidthRequirement.ofMbps(requiredMbps != null ? requiredMbps : defaults.mbps(),
                policy != null ? BandwidthPolicy.parse(policy) : defaults.policy());
    }

    /**
     * A {@code recordStart} as given (any case, surrounding blanks), spelled as stored: {@value #PUBLISH} or
     * {@value #GO_LIVE}; null stays null.
     *
     * @throws AdminException 400 on {@code recordStart} for another value
     */
    public static String checkRecordStart(String given) {
        if (given == null) {
            return null;
        }
        String start = given.strip().toLowerCase(Locale.ROOT);
        if (!start.equals(PUBLISH) && !start.equals(GO_LIVE)) {
            throw AdminException.invalid("recordStart", "recordStart must be publish or go-live (or null for the server's "
                    + "relay.recording.start), got '" + given + "'");
        }
        return start;
    }
}
