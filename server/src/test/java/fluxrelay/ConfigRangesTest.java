package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fluxrelay.config.ConfigException;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.RelayConfig;
import fluxrelay.config.RtmpConfig;
import fluxrelay.rtmp.chunk.ChunkLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every value the loader accepts builds the server: each key at its loader minimum and maximum (with the companion
 * keys a cross-key rule needs), so no component's constructor refuses what the configuration let through (which
 * used to surface at start as an uncaught exception). Whole-number and size keys are also refused one step beyond.
 */
class ConfigRangesTest {

    private static final long INT_MAX = Integer.MAX_VALUE;

    /** A key, its loader minimum and maximum, and HOCON the extremes need beside them (or ""). */
    private record Range(String key, String min, String max, String with) {
        @Override
        public String toString() {
            return key;
        }
    }

    private static final List<Range> RANGES = List.of(
            new Range("rtmp.port", "0", "65535", ""),
            new Range("rtmp.chunk-size", "128", "65536", ""),
            new Range("rtmp.max-incoming-chunk-size", "128", "16777216", ""),
            new Range("rtmp.max-message-length", "1024", "16777216", ""),
            new Range("rtmp.max-chunk-streams", "4", "65598", ""),
            new Range("rtmp.window-ack-size", "1", "4294967295", ""),
            new Range("rtmp.peer-bandwidth", "1", "4294967295", ""),
            new Range("rtmp.max-streams-per-connection", "1", "1024", ""),
            new Range("rtmp.amf-max-depth", "1", "256", ""),
            new Range("rtmp.amf-max-string-length", "256", "16777216", ""),
            new Range("rtmp.amf-max-elements", "256", "16777216", ""),
            new Range("rtmp.event-loop-threads", "0", "1024", ""),
            new Range("rtmp.setup-threads", "0", "64", ""),
            new Range("rtmp.ingest-threads", "0", "64", ""),
            new Range("rtmp.publish-failures-per-window", "0", "1000000", ""),
            new Range("rtmp.write-buffer-low-water-mark", "1024", "" + INT_MAX, "relay.rtmp.write-buffer-high-water-mark = " + INT_MAX),
            new Range("rtmp.write-buffer-high-water-mark", "1024", "" + INT_MAX, "relay.rtmp.write-buffer-low-water-mark = 1024"),
            new Range("rtmp.partial-messages.per-connection-before-publish", "4096", "67108864",
                    "relay.rtmp.partial-messages.per-connection-publishing = 64MiB"),
            new Range("rtmp.partial-messages.per-connection-publishing", "4096", "" + INT_MAX,
                    "relay.rtmp { max-message-length = 1024, partial-messages.per-connection-before-publish = 4096 }"),
            new Range("rtmp.partial-messages.server-share-of-direct-memory", "0.000001", "1", ""),
            new Range("rtmp.partial-messages.before-publish-share", "0.000001", "0.999999", ""),
            new Range("rtmp.handshake-timeout", "1ms", "365d", ""),
            new Range("rtmp.publisher-idle-timeout", "1ms", "365d", ""),
            new Range("rtmp.idle-connection-timeout", "1ms", "365d", ""),
            new Range("http.port", "0", "65535", ""),
            new Range("http.max-initial-line-length", "256", "1048576", ""),
            new Range("http.max-header-size", "1024", "1048576", ""),
            new Range("http.max-content-length", "0", "67108864", ""),
            new Range("http.request-timeout", "1ms", "365d", ""),
            new Range("http.idle-timeout", "1ms", "365d", ""),
            new Range("limits.max-connections", "0", "10000000", ""),
            new Range("limits.max-connections-per-ip", "0", "10000000", ""),
            new Range("ingest-policy.max-width", "16", "16384", ""),
            new Range("ingest-policy.max-height", "16", "16384", ""),
            new Range("ingest-policy.max-frame-rate", "0.001", "1000", ""),
            new Range("ingest-policy.recommended-min-video-kbps", "0", "1000000",
                    "relay.ingest-policy.recommended-max-video-kbps = 1000000"),
            new Range("ingest-policy.recommended-max-video-kbps", "0", "1000000",
                    "relay.ingest-policy.recommended-min-video-kbps = 0"),
            new Range("stream.gop-cache-max-bytes", "0", "" + INT_MAX, ""),
            new Range("stream.gop-cache-max-frames", "0", "1000000", ""),
            new Range("stream.flush-interval", "0ms", "1s", "relay.stream.flush-interval-max = 1s"),
            new Range("stream.flush-interval-max", "10ms", "1s", ""),
            new Range("stream.flushes-per-second", "0", "100000000", ""),
            new Range("stream.write-merge", "0ms", "1s", ""),
            new Range("stream.write-merge-slots", "1", "64", ""),
            new Range("stream.flush-slots", "1", "64", ""),
            new Range("stream.write-merge-block-size", "0", "16777216", ""),
            new Range("stream.flush-block-size", "0", "16777216", ""),
            new Range("stream.flush-max-blocks", "2", "4096", ""),
            new Range("stream.write-merge-max-blocks", "2", "4096", ""),
            new Range("stream.viewer-max-lag", "1ms", "365d", ""),
            new Range("stream.viewer-max-queued-bytes", "65536", "" + INT_MAX, ""),
            new Range("stream.max-viewers-per-room", "1", "10000000", ""),
            new Range("stream.viewer-idle-timeout", "1ms", "365d", ""),
            new Range("admin.rate-limit-per-minute", "1", "1000000", ""),
            new Range("admin.max-rooms", "1", "1000000", ""),
            new Range("webhooks.retries", "0", "20", ""),
            new Range("metrics.max-room-labels", "0", "100000", ""),
            new Range("lifecycle.drain-timeout", "1ms", "365d", ""),
            new Range("hls.target-duration", "500ms", "60s", "relay.hls { playlist-max-age = 0s, part-target = 100ms }"),
            new Range("hls.window", "3", "1000", ""),
            new Range("hls.max-segment-bytes", "262144", "1073741824", ""),
            new Range("hls.threads", "0", "256", ""),
            new Range("hls.playlist-max-age", "0s", "1999ms", ""),
            new Range("hls.segment-max-age", "0s", "365d", ""),
            new Range("hls.part-target", "100ms", "2s", ""),
            new Range("hls.directory-max-queued-bytes", "1048576", "" + INT_MAX, ""),
            new Range("bandwidth.required-mbps", "0.001", "100000", ""),
            new Range("demo-room.required-mbps", "0.001", "100000", ""),
            new Range("bandwidth.probe-min-bytes", "16384", "67108864", "relay.bandwidth.probe-max-bytes = 64MiB"),
            new Range("bandwidth.probe-max-bytes", "16384", "67108864", "relay.bandwidth.probe-min-bytes = 16KiB"),
            new Range("bandwidth.probe-duration", "1ms", "5s", ""),
            new Range("bandwidth.max-concurrent-probes", "1", "100000", ""),
            new Range("bandwidth.recent-verdicts", "0", "10000", ""),
            new Range("bandwidth.token-ttl", "1ms", "365d", ""),
            new Range("bandwidth.hls-token-ttl", "1ms", "365d", ""),
            new Range("bandwidth.monitor.interval", "100ms", "100ms", "relay.bandwidth.monitor.flag-after = 3s"),
            new Range("bandwidth.monitor.interval", "10s", "10s", "relay.bandwidth.monitor.flag-after = 10s"),
            new Range("bandwidth.monitor.flag-after", "1s", "31s", ""),
            new Range("bandwidth.monitor.unsent-limit", "0", "67108864", ""));

    static Stream<Arguments> extremes() {
        List<Arguments> cases = new ArrayList<>();
        for (Range range : RANGES) {
            cases.add(Arguments.of(range, "min", range.min()));
            cases.add(Arguments.of(range, "max", range.max()));
        }
        return cases.stream();
    }

    private static RelayConfig load(String hocon) {
        String base = "relay.rtmp { host = 127.0.0.1, port = 0 }\nrelay.http { host = 127.0.0.1, port = 0 }\n"
                + "relay.demo-room.stream-name = \"ranges-key-0123456789\"\n";
        return new ConfigLoader().from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.parseString(base))
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    @ParameterizedTest(name = "{0} at its {1}imum {2}")
    @MethodSource("extremes")
    void everyKeyAtItsLoaderExtremeBuildsTheServer(Range range, String which, String value) {
        RelayConfig config = assertDoesNotThrow(() -> load(range.with() + "\nrelay." + range.key() + " = " + value),
                "the loader accepts its own " + which + "imum");
        assertDoesNotThrow(() -> new RelayServer(config).close(), "the server takes what the loader accepted");
    }

    @Test
    void wholeNumbersOneStepBeyondTheRangeAreRefusedNamingTheKey() {
        int checked = 0;
        for (Range range : RANGES) {
            if (!range.min().matches("\\d+") || !range.max().matches("\\d+")) {
                continue;
            }
            for (long beyond : new long[] {Long.parseLong(range.min()) - 1, Long.parseLong(range.max()) + 1}) {
                if (beyond < 0 && range.key().endsWith("-bytes") || beyond > INT_MAX && Long.parseLong(range.max()) == INT_MAX) {
                    continue; // a size cannot be negative; past Integer.MAX_VALUE is another error, also naming the key
                }
                String hocon = range.with() + "\nrelay." + range.key() + " = " + beyond;
                ConfigException e = assertThrows(ConfigException.class, () -> load(hocon), hocon);
                assertTrue(e.getMessage().startsWith("relay." + range.key() + ": must be between"), e.getMessage());
                checked++;
            }
        }
        assertTrue(checked > 80, "checked " + checked);
    }

    @Test
    void aHundredMebibyteMessageLimitIsRefusedByTheLoaderWithItsRange() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("relay.rtmp.max-message-length = 100MiB"));
        assertEquals("relay.rtmp.max-message-length: must be between 1024 and 16777216 bytes, got 104857600", e.getMessage());
    }

    @Test
    void theLoaderCeilingsAreTheChunkLayers() {
        assertDoesNotThrow(() -> new ChunkLimits(65536, RtmpConfig.MESSAGE_LENGTH_CEILING, 64));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, RtmpConfig.MESSAGE_LENGTH_CEILING + 1, 64),
                "the config ceiling is the chunk layer's, not below it");
        assertEquals(ChunkLimits.MAX_WIRE_CHUNK_STREAMS, RtmpConfig.CHUNK_STREAMS_CEILING);
    }
}
