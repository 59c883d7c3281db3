package fluxrelay.rtmp.amf;

import java.time.Instant;

/**
 * A Date: AMF0 date (2.13) or AMF3 date (3.10).
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00Z
 * @param timezoneMinutes AMF0's time-zone field, a signed 16-bit value that the spec says should be
 *     0 (AMF3 has none, so it reads as 0 and is dropped by the AMF3 writer)
 */
public record AmfDate(double epochMillis, int timezoneMinutes) implements AmfValue {

    /** Rejects a time zone that does not fit AMF0's S16. */
    public AmfDate {
        if (timezoneMinutes < Short.MIN_VALUE || timezoneMinutes > Short.MAX_VALUE) {
            throw new IllegalArgumentException("timezoneMinutes out of S16 range: " + timezoneMinutes);
        }
    }

    /** A UTC date. */
    public static AmfDate of(Instant instant) {
        return new AmfDate(instant.toEpochMilli(), 0);
    }

    /** {@code Date(2024-05-01T12:00:00Z)}, with {@code tz=..} when non-zero. */
    @Override
    public String toString() {
        String when = Double.isFinite(epochMillis) && Math.abs(epochMillis) < 8.64e15
                ? Instant.ofEpochMilli((long) epochMillis).toString()
                : AmfText.number(epochMillis);
        return "Date(" + when + (timezoneMinutes == 0 ? "" : ", tz=" + timezoneMinutes) + ")";
    }
}
