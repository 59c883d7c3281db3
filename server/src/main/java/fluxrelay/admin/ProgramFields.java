package fluxrelay.admin;

import fluxrelay.rooms.ProgramSettings;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A room's program switching settings as the admin API and the rooms file spell them: {@code failoverAfter} and
 * {@code failbackAfter} are durations written as in the config file ({@code "1.5s"}, {@code "1500ms"}, {@code "1m"}),
 * {@code failback} is {@code "auto"} or {@code "manual"}; absent fields follow {@code relay.program}, and a PATCH
 * giving one as {@code null} makes the room follow it again.
 */
final class ProgramFields {

    /** Longest setting accepted: a day is far past any sensible failover or failback wait. */
    private static final Duration MAX = Duration.ofDays(1);
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");

    private ProgramFields() {
    }

    /**
     * The settings these fields give.
     *
     * @throws AdminException 400 naming the field that is not valid
     */
    static ProgramSettings parse(String failoverAfter, String failbackAfter, String failback) {
        Duration over = failoverAfter == null ? null : duration("failoverAfter", failoverAfter);
        if (over != null && over.isZero()) {
            throw AdminException.invalid("failoverAfter", "failoverAfter must be a positive duration");
        }
        Duration back = failbackAfter == null ? null : duration("failbackAfter", failbackAfter);
        Boolean auto = null;
        if (failback != null) {
            String v = failback.trim().toLowerCase(Locale.ROOT);
            if (!v.equals("auto") && !v.equals("manual")) {
                throw AdminException.invalid("failback", "failback must be auto or manual");
            }
            auto = v.equals("auto");
        }
        return new ProgramSettings(over, back, auto);
    }

    /** The fields a room PATCH may set to {@code null} to follow {@code relay.program} again. */
    static final Set<String> RESETTABLE = Set.of("failoverAfter", "failbackAfter", "failback");

    /**
     * {@code settings} with the {@code reset} fields back to the server's default (null).
     *
     * @throws AdminException 400 for a field that cannot be reset this way (only {@link #RESETTABLE} can)
     */
    static ProgramSettings reset(ProgramSettings settings, Set<String> reset) {
        for (String field : reset) {
            if (!RESETTABLE.contains(field)) {
                throw AdminException.invalid(field, "only failoverAfter, failbackAfter and failback can be reset with null");
            }
        }
        return new ProgramSettings(reset.contains("failoverAfter") ? null : settings.failoverAfter(),
                reset.contains("failbackAfter") ? null : settings.failbackAfter(),
                reset.contains("failback") ? null : settings.autoFailback());
    }

    /** A duration as these fields write it: whole seconds as {@code "10s"}, others in milliseconds ({@code "1500ms"}). */
    static String format(Duration d) {
        if (d == null) {
            return null;
        }
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    private static Duration duration(String field, String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw AdminException.invalid(field, field + " must be a duration such as 1.5s, 1500ms or 1m, got '" + text + "'");
        }
        BigDecimal unit = switch (m.group(2)) {
            case "ms" -> BigDecimal.ONE;
            case "s" -> BigDecimal.valueOf(1000);
            default -> BigDecimal.valueOf(60_000);
        };
        BigDecimal ms = new BigDecimal(m.group(1)).multiply(unit);
        if (ms.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
            throw AdminException.invalid(field, field + " must be at most a day");
        }
        return Duration.ofMillis(ms.longValue());
    }
}
