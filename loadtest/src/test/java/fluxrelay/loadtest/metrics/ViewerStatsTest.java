package fluxrelay.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ViewerStatsTest {

    private static final long MS = 1_000_000L;

    private final KindMetrics metrics = new KindMetrics(ViewerKind.RTMP);

    @Test
    void firstKeyframeGivesTimeToFirstFrameAndPlaying() {
        ViewerStats stats = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 100 * MS, 5_000);
        stats.media(120 * MS, 100, 1, false);
        assertEquals(ViewerStats.State.CONNECTING, stats.state());
        stats.media(150 * MS, 5000, 1, true);
        stats.media(160 * MS, 5000, 1, true);
        assertEquals(ViewerStats.State.PLAYING, stats.state());
        Histogram ttff = metrics.takeTimeToFirstFrame();
        assertEquals(1, ttff.getTotalCount());
        assertEquals(50_000, ttff.getMaxValue(), 50);
        assertEquals(10_100, stats.bytes());
    }

    @Test
    void stampsFromBeforeTheConnectAreCacheReplaysAndIgnored() {
        ViewerStats stats = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 0, 5_000);
        stats.stamp(4_000, 6_000, false);
        stats.stamp(5_500, 6_000, false);
        Histogram latency = metrics.takeLatency();
        assertEquals(1, latency.getTotalCount());
        assertEquals(500, latency.getMaxValue(), 1);
    }

    @Test
    void keyframesCountInTheLatencyAndApartToo() {
        ViewerStats stats = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 0, 5_000);
        stats.stamp(6_000, 6_020, false);
        stats.stamp(6_100, 6_190, true);
        stats.stamp(6_200, 6_230, false);
        Histogram latency = metrics.takeLatency();
        Histogram keyframes = metrics.takeKeyframeLatency();
        assertEquals(3, latency.getTotalCount(), "every stamped frame");
        assertEquals(1, keyframes.getTotalCount(), "the keyframe alone");
        assertEquals(90, keyframes.getMaxValue(), 1);
        assertEquals(0, metrics.takeKeyframeLatency().getTotalCount(), "taken: an interval starts anew");
    }

    @Test
    void healthyNeedsTheWholeWindowEnoughBytesAndNoStall() {
        ViewerStats stats = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 0, 0);
        stats.media(10 * MS, 1000, 1, true);
        stats.startWindow(100 * MS);
        for (long t = 200; t <= 1900; t += 100) {
            stats.media(t * MS, 1000, 1, false);
        }
        WindowSample sample = stats.sampleWindow(2000 * MS);
        assertEquals(18_000, sample.bytes());
        assertEquals(18, sample.frames());
        assertTrue(sample.healthy(18_500, 0.95));
        assertFalse(sample.healthy(20_000, 0.95), "below 95% of the stream");
        assertFalse(stats.sampleWindow(3000 * MS).healthy(18_000, 0.95), "a gap still open at the end is a stall");

        stats.startWindow(3000 * MS);
        stats.media(3100 * MS, 1000, 1, false);
        stats.media(4200 * MS, 1000, 1, false);
        WindowSample stalled = stats.sampleWindow(4300 * MS);
        assertTrue(stalled.stalled());
        assertEquals(1200 * MS, stalled.maxGapNanos(), "the gap that ended inside the window counts whole");
        assertTrue(stalled.frames() == 2);
        assertEquals(2, stats.stalls());
    }

    @Test
    void aViewerThatStartedDuringTheWindowOrFailedIsNotHealthy() {
        ViewerStats late = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 0, 0);
        late.startWindow(0);
        late.media(100 * MS, 1000, 1, true);
        assertFalse(late.sampleWindow(200 * MS).healthy(-1, 0.95));

        ViewerStats failed = new ViewerStats(ViewerKind.RTMP, metrics, 1000 * MS, true, 0, 0);
        failed.media(0, 1000, 1, true);
        failed.startWindow(0);
        failed.fail("gone");
        failed.fail("twice");
        assertFalse(failed.sampleWindow(100 * MS).healthy(-1, 0.95));
        assertEquals("gone", failed.failure());
        assertEquals(1, metrics.failures());
    }

    @Test
    void segmentedViewersStallOnlyWhenThePlayerRebuffers() {
        ViewerStats hls = new ViewerStats(ViewerKind.HLS, new KindMetrics(ViewerKind.HLS), 1000 * MS, false, 0, 0);
        hls.media(500 * MS, 0, 1, true);
        hls.startWindow(600 * MS);
        hls.media(2500 * MS, 200_000, 1, true);
        assertTrue(hls.sampleWindow(2600 * MS).healthy(-1, 0.95), "two seconds between segments is normal");
        hls.rebufferStart(3000 * MS);
        assertFalse(hls.sampleWindow(4500 * MS).healthy(-1, 0.95), "still rebuffering after more than a second");
        hls.rebufferEnd(3500 * MS);
        assertEquals(0, hls.stalls(), "half a second of rebuffering is no stall");
    }
}
