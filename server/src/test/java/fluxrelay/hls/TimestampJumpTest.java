package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Encoder timestamps that jump (an hour forward, back, or garbage) end the segment, mark the next with
 * EXT-X-DISCONTINUITY, and leave the target duration and the memory held as they were.
 */
class TimestampJumpTest {

    private static final long HOUR = 3_600_000;
    private static final int WINDOW = 3;
    private static final int MAX_SEGMENT_BYTES = 1 << 20;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private SegmentStore store;
    private Segmenter segmenter;
    private Fmp4Rendition fmp4;

    private void openTs(int window) {
        store = new SegmentStore(window, 2, clock::get, info -> { });
        PackagerSettings settings = new PackagerSettings(Duration.ofSeconds(2), window, MAX_SEGMENT_BYTES, 1);
        segmenter = new Segmenter("test", settings, new TsWriter(ByteBufAllocator.DEFAULT), ByteBufAllocator.DEFAULT, "p-",
                clock::get, new Segmenter.Output() {
                    @Override
                    public void segment(Segment segment, boolean independent) {
                        store.append(segment, independent);
                    }

                    @Override
                    public void ended() {
                        store.end();
                    }
                });
        segmenter.start();
    }

    private void openFmp4() {
        PackagerSettings settings = new PackagerSettings(Duration.ofSeconds(2), 6, MAX_SEGMENT_BYTES, 1, true,
                Duration.ofMillis(500));
        fmp4 = new Fmp4Rendition("test", settings, ByteBufAllocator.DEFAULT, "p-", clock::get);
        segmenter = fmp4.segmenter();
        store = fmp4.store();
        segmenter.start();
    }

    @AfterEach
    void close() {
        if (fmp4 != null) {
            fmp4.close();
        } else {
            segmenter.close();
            store.close();
        }
    }

    /**
     * Feeds the sample clip's sequence headers and its frames from {@code fromMs} to {@code untilMs} (keyframes at 0,
     * 2, 4 and 6 s, 30 fps, AAC), {@code shift} ms later.
     */
    private void feed(long shift, long fromMs, long untilMs) {
        for (MediaFrame frame : SampleMedia.frames(SampleMedia.AV_720P)) {
            if (header(frame) || frame.timestamp() >= fromMs && frame.timestamp() <= untilMs) {
                segmenter.frame(frame.withTimestamp(frame.timestamp() + shift));
            }
            frame.release();
        }
    }

    private void feed(long shift) {
        feed(shift, 0, Long.MAX_VALUE);
    }

    private String playlist() {
        return PlaylistWriter.media(store.view().orElseThrow());
    }

    @Test
    void anHourForwardEndsTheSegmentAndMarksTheNextWithADiscontinuity() {
        openTs(6);
        feed(0, 0, 3999);
        feed(HOUR);
        segmenter.stop();
        // The segment before the jump ends at its last frame (audio at 3.990 s, 23 ms long), not an hour later; the
        // date-times are anchored afresh at the jump (this test's clock stands still).
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXTINF:2.000,
                p-0.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXTINF:2.013,
                p-1.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXTINF:2.000,
                p-2.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXTINF:2.000,
                p-3.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
                #EXTINF:2.000,
                p-4.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:24.000Z
                #EXTINF:0.068,
                p-5.ts
                #EXT-X-ENDLIST
                """, playlist());
        assertEquals(HOUR, store.view().orElseThrow().segments().get(2).startTimestamp());
    }

    @Test
    void anHourBackLikewiseAndTheDiscontinuitySequenceCountsItOnceItLeaves() {
        openTs(3);
        feed(HOUR);
        feed(0);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:4
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXTINF:2.000,
                p-4.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXTINF:2.000,
                p-5.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:22.000Z
                #EXTINF:2.000,
                p-6.ts
                """, playlist());
        feed(6100); // time runs on from the clip's end: no further discontinuity
        segmenter.stop();
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:7
                #EXT-X-DISCONTINUITY-SEQUENCE:1
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:24.000Z
                #EXTINF:2.100,
                p-7.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:26.100Z
                #EXTINF:2.000,
                p-8.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:28.100Z
                #EXTINF:2.000,
                p-9.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:30.100Z
                #EXTINF:0.068,
                p-10.ts
                #EXT-X-ENDLIST
                """, playlist());
    }

    @Test
    void theHubsDiscontinuityCutsAContinuousTimelineAndTheNextSegmentStartsAtAKeyframe() {
        openTs(6);
        feed(0, 0, 3000);
        segmenter.discontinuity();
        feed(0, 3001, Long.MAX_VALUE);
        segmenter.stop();
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:3
                #EXT-X-TARGETDURATION:2
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXTINF:2.000,
                p-0.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXTINF:1.033,
                p-1.ts
                #EXT-X-DISCONTINUITY
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXTINF:2.000,
                p-2.ts
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXTINF:0.068,
                p-3.ts
                #EXT-X-ENDLIST
                """, playlist());
    }

    @Test
    void theLowLatencyPlaylistMarksTheDiscontinuityBeforeTheOpenSegmentsParts() {
        openFmp4();
        feed(0, 0, 3999);
        feed(HOUR, 0, 1000);
        assertEquals("""
                #EXTM3U
                #EXT-X-VERSION:9
                #EXT-X-TARGETDURATION:2
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.500
                #EXT-X-PART-INF:PART-TARGET=0.500
                #EXT-X-MEDIA-SEQUENCE:0
                #EXT-X-INDEPENDENT-SEGMENTS
                #EXT-X-MAP:URI="p-init-1.mp4"
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:18.000Z
                #EXT-X-PART:DURATION=0.467,URI="p-0.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.467,URI="p-0.1.m4s"
                #EXT-X-PART:DURATION=0.466,URI="p-0.2.m4s"
                #EXT-X-PART:DURATION=0.467,URI="p-0.3.m4s"
                #EXT-X-PART:DURATION=0.133,URI="p-0.4.m4s"
                #EXTINF:2.000,
                p-0.m4s
                #EXT-X-PROGRAM-DATE-TIME:2023-11-14T22:13:20.000Z
                #EXT-X-PART:DURATION=0.467,URI="p-1.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.467,URI="p-1.1.m4s"
                #EXT-X-PART:DURATION=0.466,URI="p-1.2.m4s"
                #EXT-X-PART:DURATION=0.467,URI="p-1.3.m4s"
                #EXT-X-PART:DURATION=0.146,URI="p-1.4.m4s"
                #EXTINF:2.013,
                p-1.m4s
                #EXT-X-DISCONTINUITY
                #EXT-X-PART:DURATION=0.467,URI="p-2.0.m4s",INDEPENDENT=YES
                #EXT-X-PART:DURATION=0.467,URI="p-2.1.m4s"
                #EXT-X-PRELOAD-HINT:TYPE=PART,URI="p-2.2.m4s"
                """, fmp4.playlist().orElseThrow().text());
    }

    /**
     * Feeds 10,000 of the clip's frames (after its sequence headers) on random 32-bit timestamps, checking every
     * 100 frames that the segments held stay within the store's bound: {@link SegmentStore#MAX_LISTED_WINDOWS}
     * windows listed, two windows and two more retired, each at most the segment byte limit plus a block.
     */
    private void randomTimestamps(int window) {
        int heldBound = (SegmentStore.MAX_LISTED_WINDOWS + 2) * window + 2;
        long memoryBound = heldBound * (MAX_SEGMENT_BYTES + 16L * 1024);
        SplittableRandom random = new SplittableRandom(4);
        List<MediaFrame> clip = SampleMedia.frames(SampleMedia.AV_720P);
        clip.stream().filter(TimestampJumpTest::header).forEach(segmenter::frame);
        List<MediaFrame> media = clip.stream().filter(frame -> !header(frame)).toList();
        for (int fed = 0; fed < 10_000; fed++) {
            segmenter.frame(media.get(fed % media.size()).withTimestamp(random.nextLong(1L << 32)));
            if (fed % 100 == 99) {
                SegmentStore.Figures figures = store.figures();
                assertTrue(figures.held() <= heldBound && figures.memory() <= memoryBound, "after " + fed + ": " + figures);
                assertEquals(2, figures.targetDuration(), "after " + fed + ": " + figures);
            }
        }
        clip.forEach(MediaFrame::release);
        SegmentStore.Figures figures = store.figures();
        assertTrue(figures.produced() > 2 * heldBound, "the bound was put to the test: " + figures);
        for (SegmentInfo segment : store.view().orElseThrow().segments()) {
            assertTrue(segment.durationMs() <= 2000, segment.toString());
        }
    }

    private static boolean header(MediaFrame frame) {
        return frame instanceof VideoFrame v && v.isSequenceHeader() || frame instanceof AudioFrame a && a.sequenceHeader();
    }

    @Test
    void randomTimestampsKeepTheTargetDurationAndTheMemoryHeldBounded() {
        openTs(WINDOW);
        randomTimestamps(WINDOW);
    }

    @Test
    void randomTimestampsKeepTheLowLatencyRenditionBoundedToo() {
        openFmp4();
        randomTimestamps(6);
    }
}
