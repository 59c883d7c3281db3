package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.VerdictSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The probe verdict's JSON names the bytes the client downloaded and the bytes the rate was timed over. */
class ProbeJsonTest {

    private static final BandwidthSettings SETTINGS = new BandwidthSettings(
            BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE), false,
            new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 2),
            new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 128 * 1024),
            Duration.ofMinutes(2), "bwtoken", 3);

    private static String json(Measurement m) {
        BandwidthRequirement requirement = SETTINGS.defaults();
        BandwidthVerdict verdict = BandwidthVerdict.judge(Instant.EPOCH, "keynote", "v", VerdictSource.HTTP_PROBE, m,
                requirement);
        return ProbeJson.of(verdict, requirement, "t", SETTINGS);
    }

    @Test
    void bytesAreEverythingSentWarmUpIncludedAndTimedBytesThePartTheRateCovers() {
        String json = json(new Measurement(4_780_000, 750_000, 1_255_000_000L, 300, MeasurementMethod.TCP_ACKS, true,
                843_750));
        assertTrue(json.contains("\"bytes\":843750,\"timed_bytes\":750000,"), json);
    }

    @Test
    void aMeasurementWithoutWarmUpSentWhatItTimed() {
        Measurement m = new Measurement(1, 250_000, 1, -1, MeasurementMethod.TCP_ACKS, true);
        assertEquals(250_000, m.sentBytes());
        assertTrue(json(m).contains("\"bytes\":250000,\"timed_bytes\":250000,"), json(m));
    }
}
