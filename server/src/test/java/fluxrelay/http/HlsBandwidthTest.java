package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The playback token reaches every URI a playlist lists, and nothing else changes; a rendition's responses are credited
 * to judge against its need.
 */
class HlsBandwidthTest {

    @Test
    void aRenditionsResponsesAreJudgedAgainstItsNeedOnceKnown() {
        BandwidthRegistry registry = new BandwidthRegistry(
                new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE), false,
                        new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                        new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(3), 0),
                        Duration.ofMinutes(2), "bwtoken", 20),
                Map.of("lobby", BandwidthRequirement.ofMbps(3, BandwidthPolicy.OFF)), ProbeTokens.randomSecret(), Clock.systemUTC());
        HlsBandwidth bandwidth = new HlsBandwidth(registry, null, Duration.ofMinutes(1));
        assertNull(bandwidth.watched("demo", "c").against(), "the program: the room's requirement");
        assertEquals(new BandwidthRequirement(1_200_000, BandwidthPolicy.ENFORCE), bandwidth.watched("demo", "c", 1_200_000).against());
        assertNull(bandwidth.watched("demo", "c", 0), "a need not known yet: not timed");
        assertNull(bandwidth.watched("lobby", "c", 1_200_000), "policy off: not timed");
    }

    @Test
    void everyUriLineAndUriAttributeCarriesTheToken() {
        String playlist = String.join("\n",
                "#EXTM3U",
                "#EXT-X-TARGETDURATION:2",
                "#EXT-X-MAP:URI=\"init.mp4\"",
                "#EXT-X-PART:DURATION=0.5,URI=\"ll-7.0.m4s\",INDEPENDENT=YES",
                "#EXTINF:2.000,",
                "ll-7.m4s",
                "",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll-8.1.m4s\"",
                "stream.m3u8?x=1",
                "");
        assertEquals(String.join("\n",
                "#EXTM3U",
                "#EXT-X-TARGETDURATION:2",
                "#EXT-X-MAP:URI=\"init.mp4?bwtoken=T.k\"",
                "#EXT-X-PART:DURATION=0.5,URI=\"ll-7.0.m4s?bwtoken=T.k\",INDEPENDENT=YES",
                "#EXTINF:2.000,",
                "ll-7.m4s?bwtoken=T.k",
                "",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"ll-8.1.m4s?bwtoken=T.k\"",
                "stream.m3u8?x=1&bwtoken=T.k",
                ""), HlsBandwidth.withToken(playlist, "bwtoken", "T.k"));
    }
}
