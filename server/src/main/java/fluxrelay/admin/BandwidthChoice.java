package fluxrelay.admin;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.config.RecordingConfig;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A room's own settings that follow a server default when unset, as an operator or the config file gave them:
 * its bandwidth requirement and policy ({@code relay.bandwidth}), its viewer access ({@code relay.access}), whether
 * it records, when its recordings start and its live DVR window ({@code relay.recording}); a null field follows the
 * server default, so a changed default still reaches rooms that never set it.
 *
 * @param requiredMbps the room's required download rate, Mbit/s, or null
 * @param policy "enforce", "warn" or "off", or null
 * @param viewerAccess "open" or "token", or null
 * @param record whether the room's sessions are recorded, or null
 * @param recordStart {@value #PUBLISH} or {@value #GO_LIVE}, when its recordings start, or null
 * @param dvrWindow how much of a session its live DVR playlist lists, a duration as {@link #formatDvrWindow} writes
 *     it ({@code "0s"}: none), or null
 */
public record BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record, String recordStart,
                              String dvrWindow) {

    /** {@code recordStart}: a session starts when the encoder publishes, before GO LIVE too. */
    public static final String PUBLISH = "publish";
    /** {@code recordStart}: a session starts once the room is on the air. */
    public static final String GO_LIVE = "go-live";

    /** Nothing set: the room follows the defaults. */
    public static final BandwidthChoice NONE = new BandwidthChoice(null, null, null, null, null, null);
    /** A {@code dvrWindow}: a number, then a unit as the config file takes them (ms, s, m, h, d, or spelled out). */
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");

    /** Bandwidth settings, viewer access, recording and its start; the DVR window follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record, String recordStart) {
        this(requiredMbps, policy, viewerAccess, record, recordStart, null);
    }

    /** Bandwidth settings, viewer access and recording; the recording start follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess, Boolean record) {
        this(requiredMbps, policy, viewerAccess, record, null, null);
    }

    /** Bandwidth settings and viewer access; recording follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy, String viewerAccess) {
        this(requiredMbps, policy, viewerAccess, null, null, null);
    }

    /** Bandwidth settings only; the viewer access follows the default. */
    public BandwidthChoice(Double requiredMbps, String policy) {
        this(requiredMbps, policy, null, null, null, null);
    }

    /** True when the room sets no field. */
    public boolean isEmpty() {
        return requiredMbps == null && policy == null && viewerAccess == null && record == null && recordStart == null
                && dvrWindow == null;
    }

    /** True when the room sets its own bandwidth requirement or policy. */
    public boolean setsBandwidth() {
        return requiredMbps != null || policy != null;
    }

    /** These settings over {@code other}'s: what a PATCH or a persisted room over the config file gives. */
    public BandwidthChoice over(BandwidthChoice other) {
        return new BandwidthChoice(requiredMbps != null ? requiredMbps : other.requiredMbps,
                policy != null ? policy : other.policy, viewerAccess != null ? viewerAccess : other.viewerAccess,
                record != null ? record : other.record, recordStart != null ? recordStart : other.recordStart,
                dvrWindow != null ? dvrWindow : other.dvrWindow);
    }

    /** These settings with the recording start following the default again (a PATCH's {@code "recordStart": null}). */
    public BandwidthChoice withoutRecordStart() {
        return new BandwidthChoice(requiredMbps, policy, viewerAccess, record, null, dvrWindow);
    }

    /** These settings with the DVR window following the default again (a PATCH's {@code "dvrWindow": null}). */
    public BandwidthChoice withoutDvrWindow() {
        return new BandwidthChoice(requiredMbps, policy, viewerAccess, record, recordStart, null);
    }

    /** The room's own DVR window as a duration (zero: none), or null when it follows the default. */
    public Duration dvrWindowDuration() {
        return dvrWindow == null ? null : parseDvrWindow(dvrWindow, null);
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

    /**
     * A {@code dvrWindow} as given: a duration such as {@code "8s"}, {@code "90s"}, {@code "1.5m"} or {@code "2h"} (the
     * units of the config file: ms, s, m, h, d, or spelled out, as {@code "2 hours"}), {@code "0s"} for none; spelled as
     * stored ({@link #formatDvrWindow}); null stays null.
     *
     * @param least the shortest window other than none with this server's fragments, or null when not known here (the
     *     longest is always {@link RecordingConfig#MAX_DVR_WINDOW})
     * @throws AdminException 400 on {@code dvrWindow} for another value, naming the range
     */
    public static String checkDvrWindow(String given, Duration least) {
        return given == null ? null : formatDvrWindow(parseDvrWindow(given, least));
    }

    /** A duration as {@code dvrWindow} writes it: in the largest whole unit of h, m, s and ms ({@code "0s"}: none). */
    public static String formatDvrWindow(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        return ms % 3_600_000 == 0 ? ms / 3_600_000 + "h" : ms % 60_000 == 0 ? ms / 60_000 + "m"
                : ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Duration parseDvrWindow(String given, Duration least) {
        Matcher m = DURATION.matcher(given.strip().toLowerCase(Locale.ROOT));
        long unit = !m.matches() ? 0 : switch (m.group(2)) {
            case "ms", "milli", "millis", "millisecond", "milliseconds" -> 1;
            case "s", "second", "seconds" -> 1000;
            case "m", "minute", "minutes" -> 60_000;
            case "h", "hour", "hours" -> 3_600_000;
            case "d", "day", "days" -> 86_400_000;
            default -> 0;
        };
        String range = "0s (off), or from " + (least == null ? "" : least.toSeconds() + "s, ") + "three times the DVR "
                + "playlist's target duration (twice relay.recording.fragment), to 24h";
        if (unit == 0) {
            throw AdminException.invalid("dvrWindow", "dvrWindow must be a duration such as \"90s\" or \"2h\": " + range
                    + ", got '" + given + "'");
        }
        BigDecimal ms = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        BigDecimal shortest = BigDecimal.valueOf(least == null ? 1 : least.toMillis());
        if (ms.signum() != 0 && (ms.compareTo(BigDecimal.valueOf(RecordingConfig.MAX_DVR_WINDOW.toMillis())) > 0
                || ms.compareTo(shortest) < 0)) {
            throw AdminException.invalid("dvrWindow", "dvrWindow must be " + range + ", got '" + given + "'");
        }
        return Duration.ofMillis(ms.longValue());
    }
}
