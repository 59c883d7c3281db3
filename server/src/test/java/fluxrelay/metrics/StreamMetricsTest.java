package fluxrelay.metrics;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.LivePublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ingest series per room (its inputs, unchanged) and per quality rendition of its program (apart). */
class StreamMetricsTest {

    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 100));
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final StreamMetrics metrics = new StreamMetrics(streams, 1);

    @AfterEach
    void close() {
        streams.close();
        registry.close();
    }

    private PublisherSlot publisher(FeedId feed, int port) {
        return assertInstanceOf(PublishClaim.Granted.class, streams.stream(feed, feed.isInput())
                .claim(new LivePublisher(new InetSocketAddress("127.0.0.1", port)), Duration.ofSeconds(3))).slot();
    }

    @Test
    void renditionsIngestIsCountedApartFromTheRoomsInputs() {
        metrics.bindTo(registry);
        PublisherSlot main = publisher(FeedId.main("r"), 1);
        PublisherSlot low = publisher(FeedId.rendition("r", "240p"), 2);
        PublisherSlot other = publisher(FeedId.rendition("z", "240p"), 3);
        main.publish(videoHeader(0));
        main.publish(keyframe(0, 5_000));
        main.publish(audio(0, 300));
        low.publish(videoHeader(0));
        low.publish(keyframe(0, 1_000));
        low.publish(keyframe(40, 700));
        low.publish(audio(0, 100));
        other.publish(videoHeader(0));
        other.publish(keyframe(0, 900));
        metrics.refresh();

        // Totals count every frame the hub takes, sequence headers (8 bytes here) included.
        assertEquals(5_008, registry.get("fluxrelay.ingest").tags("room", "r", "kind", "video").functionCounter().count(),
                "the room's ingest stays its inputs'");
        assertEquals(300, registry.get("fluxrelay.ingest").tags("room", "r", "kind", "audio").functionCounter().count());
        assertEquals(1_708, registry.get("fluxrelay.rendition.ingest").tags("room", "r", "rendition", "240p", "kind", "video")
                .functionCounter().count());
        assertEquals(100, registry.get("fluxrelay.rendition.ingest").tags("room", "r", "rendition", "240p", "kind", "audio")
                .functionCounter().count());
        assertEquals(3, registry.get("fluxrelay.rendition.ingest.frames").tags("room", "r", "rendition", "240p", "kind", "video")
                .functionCounter().count());
        assertEquals(0, registry.get("fluxrelay.rendition.ingest.bytes.per.second")
                .tags("room", "r", "rendition", "240p", "kind", "video").gauge().value(), "no second measured yet");
        assertEquals(0, registry.find("fluxrelay.rendition.ingest").tag("room", "_other").functionCounters().size(),
                "rooms past max-room-labels have no rendition labels");

        String text = registry.scrape();
        assertTrue(text.contains("fluxrelay_rendition_ingest_bytes_total{kind=\"video\",rendition=\"240p\",room=\"r\"} 1708.0"),
                text);
        assertTrue(text.contains("fluxrelay_ingest_bytes_total{kind=\"video\",room=\"r\"} 5008.0"), text);
        assertTrue(text.contains("fluxrelay_rendition_ingest_bytes_per_second{kind=\"video\",rendition=\"240p\",room=\"r\"}"),
                text);

        low.close();
        streams.remove(FeedId.rendition("r", "240p"), "test");
        metrics.refresh();
        assertEquals(0, registry.find("fluxrelay.rendition.ingest").tag("rendition", "240p").tag("room", "r")
                .functionCounters().size(), "a rendition's counters go with its hub");
        main.close();
        other.close();
    }
}
