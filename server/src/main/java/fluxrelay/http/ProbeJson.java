package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import java.util.Locale;

/** The JSON bodies of bandwidth verdicts and refusals. */
final class ProbeJson {

    private ProbeJson() {
    }

    /**
     * A probe's verdict with its token. {@code bytes} is what the probe sent (what the client downloaded, warm-up
     * included); {@code timed_bytes} the part the rate and {@code seconds} are computed over.
     */
    static String of(BandwidthVerdict verdict, BandwidthRequirement requirement, String token, BandwidthSettings settings) {
        Measurement m = verdict.measurement();
        return "{\"room\":" + Json.quote(verdict.roomId())
                + ",\"verdict\":" + Json.quote(verdict.label())
                + ",\"measured_mbps\":" + number(m.mbps())
                + ",\"required_mbps\":" + number(verdict.requiredBitsPerSecond() / 1e6)
                + ",\"latency_ms\":" + (m.latencyMicros() < 0 ? "null" : number(m.latencyMillis()))
                + ",\"bytes\":" + m.sentBytes()
                + ",\"timed_bytes\":" + m.bytes()
                + ",\"seconds\":" + number(m.nanos() / 1e9)
                + ",\"method\":" + Json.quote(m.method().label())
                + ",\"complete\":" + m.complete()
                + ",\"policy\":" + Json.quote(requirement.policy().label())
                + ",\"token\":" + Json.quote(token)
                + ",\"token_parameter\":" + Json.quote(settings.tokenParameter())
                + ",\"token_expires_in\":" + settings.tokenTtl().toSeconds() + "}";
    }

    /** A refused playback: why, with the figures when there are any. */
    static String refusal(String error, BandwidthVerdict verdict, long requiredBitsPerSecond, String probePath) {
        StringBuilder out = new StringBuilder("{\"error\":").append(Json.quote(error));
        if (verdict != null) {
            out.append(",\"verdict\":\"below\",\"measured_mbps\":").append(number(verdict.measurement().mbps()));
        }
        out.append(",\"required_mbps\":").append(number(requiredBitsPerSecond / 1e6));
        out.append(",\"probe\":").append(Json.quote(probePath)).append('}');
        return out.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
