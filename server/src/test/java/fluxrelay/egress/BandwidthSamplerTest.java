package fluxrelay.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthVerdict;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BandwidthSampler}: windows judged from the viewer's counters, joined to and removed from the loop's monitor. */
class BandwidthSamplerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final BandwidthRegistry registry = Bandwidths.registry(BandwidthPolicy.WARN);
    private final List<BandwidthVerdict> below = new ArrayList<>();
    private long sent;
    private long dropped;
    private long queued;
    private final BandwidthSampler sampler = new BandwidthSampler(channel, registry.watch("room", "viewer"),
            new ChannelViewer.Monitoring(SECOND, 0), new BandwidthSampler.Source() {
                @Override
                public long bytesSent() {
                    return sent;
                }

                @Override
                public long bytesDropped() {
                    return dropped;
                }

                @Override
                public long queuedBytes() {
                    return queued;
                }

                @Override
                public void below(BandwidthVerdict verdict) {
                    below.add(verdict);
                }
            });

    @AfterEach
    void close() {
        sampler.close();
        channel.finishAndReleaseAll();
    }

    private DeliveryMonitor monitor() {
        return DeliveryMonitor.forLoop(channel.eventLoop(), SECOND);
    }

    @Test
    void aViewerThatKeepsUpWithASlowStreamIsNeverFlagged() {
        sampler.start();
        long t = System.nanoTime();
        for (int i = 1; i <= 5; i++) {
            sent += 10_000;
            sampler.flushed(0);
            sampler.sampleDelivery(t + i * SECOND, new TcpFigures());
        }
        assertEquals(List.of(), below, "80 kbit/s drained, but never backlogged: says nothing about the link");
    }

    @Test
    void aViewerDroppingFramesWhileDrainingLittleIsFlagged() {
        sampler.start();
        long t = System.nanoTime();
        sent += 10_000;
        sampler.sampleDelivery(t + SECOND, new TcpFigures());
        assertEquals(List.of(), below, "the first window only warms up");
        sent += 10_000;
        dropped += 5_000;
        sampler.sampleDelivery(t + 2 * SECOND, new TcpFigures());
        assertEquals(1, below.size());
        assertTrue(below.get(0).measurement().bitsPerSecond() < 3_000_000);
    }

    @Test
    void mostFlushesLeavingDataQueuedMakeAWindowBacklogged() {
        sampler.start();
        long t = System.nanoTime();
        sampler.sampleDelivery(t + SECOND, new TcpFigures());
        sent += 20_000;
        queued = 5_000;
        sampler.flushed(5_000);
        sampler.flushed(0);
        sampler.sampleDelivery(t + 2 * SECOND, new TcpFigures());
        assertEquals(1, below.size(), "half the flushes left data behind");
    }

    @Test
    void theSamplerJoinsTheLoopsMonitorAndLeavesItWithItsRoomCountsOnClose() {
        int before = monitor().size();
        sampler.start();
        assertEquals(before + 1, monitor().size());
        assertEquals(1, registry.room("room").snapshot().viewersMeasuring());
        sampler.close();
        sampler.close();
        assertEquals(before, monitor().size());
        assertEquals(0, registry.room("room").snapshot().viewersMeasuring(), "closed once, counted out once");
        dropped += 5_000;
        sampler.sampleDelivery(System.nanoTime() + 2 * SECOND, new TcpFigures());
        sampler.sampleDelivery(System.nanoTime() + 3 * SECOND, new TcpFigures());
        assertEquals(List.of(), below, "a closed sampler judges nothing");
        assertNotNull(sampler.bandwidth());
    }
}
