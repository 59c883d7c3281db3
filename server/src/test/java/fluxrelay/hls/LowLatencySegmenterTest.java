package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partial segments cut from the sample clip (keyframes every 2 s, 30 fps) for the fMP4 rendition. */
class LowLatencySegmenterTest {

    private static final long PART_TARGET = 333;

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final List<String> events = new ArrayList<>();
    private Fmp4Rendition rendition;

    @BeforeEach
    void open() {
        PackagerSettings settings = new PackagerSettings(Duration.ofSeconds(2), 6, 1 << 20, 1, true,
                Duration.ofMillis(PART_TARGET));
        rendition = new Fmp4Rendition("test", settings, ByteBufAllocator.DEFAULT, "p-", clock::get);
        rendition.addListener(() -> events.add(rendition.playlist().orElseThrow().view().openSequence() + "/"
                + rendition.playlist().orElseThrow().view().openParts().size()));
    }

    @AfterEach
    void close() {
        rendition.close();
    }

    /** Feeds the clip's frames up to {@code untilMs}. */
    private void publish(boolean stop, long untilMs) {
        rendition.segmenter().start();
        rendition.reopen();
        for (MediaFrame frame : SampleMedia.frames(SampleMedia.AV_720P)) {
            if (frame.timestamp() <= untilMs) {
                rendition.segmenter().frame(frame);
            }
            frame.release();
        }
        if (stop) {
            rendition.segmenter().stop();
        }
    }

    @Test
    void partsStayWithinTheTargetAddUpToTheirSegmentAndAreItsBytes() {
        publish(true, Long.MAX_VALUE);
        LowLatencyView view = rendition.playlist().orElseThrow().view();
        assertEquals(3, view.base().segments().size() - 1, "2 s segments of a 6 s clip, plus the last frame's");
        for (int s = 0; s < view.base().segments().size(); s++) {
            SegmentInfo segment = view.base().segments().get(s);
            List<PartInfo> parts = view.segmentParts().get(s);
            long sum = 0;
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                PartInfo part = parts.get(i);
                assertTrue(part.durationMs() <= PART_TARGET, part.toString());
                if (i < parts.size() - 1) {
                    assertTrue(part.durationMs() >= 0.85 * PART_TARGET, "only a segment's last part may be short: " + part);
                }
                assertEquals(i == 0, part.independent(), "only the part starting at the keyframe is independent: " + part);
                sum += part.durationMs();
                SegmentContent content = rendition.content(part.name(), ByteBufAllocator.DEFAULT).orElseThrow();
                hex.append(ByteBufUtil.hexDump(content.data()));
                content.data().release();
            }
            assertEquals(segment.durationMs(), sum, "parts add up to " + segment);
            SegmentContent whole = rendition.content(segment.name(), ByteBufAllocator.DEFAULT).orElseThrow();
            assertEquals(hex.toString(), ByteBufUtil.hexDump(whole.data()), "the segment is its parts back to back");
            whole.data().release();
        }
        String init = view.openMap();
        SegmentContent initSegment = rendition.content(init, ByteBufAllocator.DEFAULT).orElseThrow();
        assertArrayEquals("ftyp".getBytes(), ByteBufUtil.getBytes(initSegment.data(), 4, 4));
        initSegment.data().release();
        assertTrue(view.base().ended());
        assertEquals(null, view.preloadHint(), "no hint once the stream ended");
    }

    @Test
    void eachPartIsPublishedWhenCompleteAndReadableBeforeItsSegmentEnds() {
        publish(false, 5000);
        LowLatencyView view = rendition.playlist().orElseThrow().view();
        assertFalse(view.openParts().isEmpty());
        assertEquals("p-" + view.openSequence() + "." + view.openParts().size() + ".m4s", view.preloadHint());
        for (PartInfo part : view.openParts()) {
            SegmentContent content = rendition.content(part.name(), ByteBufAllocator.DEFAULT).orElseThrow();
            assertTrue(content.data().readableBytes() > 0);
            assertEquals("moof", content.data().toString(4, 4, java.nio.charset.StandardCharsets.US_ASCII));
            content.data().release();
        }
        // The playlist exists from the first complete segment on; then it changes with every part.
        assertTrue(events.size() >= 10, "a playlist per part: " + events);
        assertTrue(events.containsAll(List.of("1/0", "1/1", "1/2", "2/0", "2/1")), events.toString());
        assertTrue(view.contains(view.openSequence(), view.openParts().size() - 1));
        assertFalse(view.contains(view.openSequence(), view.openParts().size()));
        assertTrue(view.contains(view.openSequence() - 1, -1));
        assertFalse(view.contains(view.openSequence(), -1), "the open segment is not complete");
        assertFalse(view.tooFarAhead(view.openSequence() + 1));
        assertTrue(view.tooFarAhead(view.openSequence() + 2));
    }

    @Test
    void mpegTsCannotCutParts() {
        PackagerSettings settings = new PackagerSettings(Duration.ofSeconds(2), 6, 1 << 20, 1);
        try (TsWriter ts = new TsWriter(ByteBufAllocator.DEFAULT)) {
            assertThrows(IllegalArgumentException.class, () -> new Segmenter("t", settings, ts, ByteBufAllocator.DEFAULT, "p-",
                    clock::get, null, 333));
        }
    }
}
