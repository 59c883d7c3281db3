package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.hls.ts.TsParser;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Segments cut from the real sample clips' frames (keyframes at 0, 2, 4 and 6 s). */
class SegmenterTest {

    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private SegmentStore store;
    private Segmenter segmenter;

    private void open(long targetMillis) {
        store = new SegmentStore(6, (int) ((targetMillis + 999) / 1000), clock::get, info -> { });
        PackagerSettings settings = new PackagerSettings(Duration.ofMillis(targetMillis), 6, 1 << 20, 1);
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
    }

    @AfterEach
    void close() {
        segmenter.close();
        store.close();
    }

    /** Feeds a clip's frames from the first that passes {@code from}, shifted by {@code shift} ms. */
    private void feed(String clip, long shift, Predicate<MediaFrame> from) {
        boolean started = false;
        for (MediaFrame frame : SampleMedia.frames(clip)) {
            started |= from.test(frame);
            if (started) {
                segmenter.frame(frame.withTimestamp(frame.timestamp() + shift));
            }
            frame.release();
        }
    }

    private void publish(String clip, long shift) {
        segmenter.start();
        store.reopen();
        feed(clip, shift, frame -> true);
        segmenter.stop();
    }

    private List<SegmentInfo> segments() {
        return store.view().orElseThrow().segments();
    }

    private TsParser parse(SegmentInfo info) {
        SegmentContent content = store.retain(info.name(), ByteBufAllocator.DEFAULT).orElseThrow();
        try {
            return TsParser.parse(content.data());
        } finally {
            content.data().release();
        }
    }

    private static long firstDts(TsParser ts, int pid) {
        TsParser.Pes first = ts.pes().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();
        return first.dts() >= 0 ? first.dts() : first.pts();
    }

    @Test
    void segmentsAreCutAtTheFirstKeyframePastTheTargetAndTimeRunsOnAcrossThem() {
        open(2000);
        publish(SampleMedia.AV_720P, 0);
        List<SegmentInfo> segments = segments();
        assertEquals(List.of(0L, 2000L, 4000L, 6000L), segments.stream().map(SegmentInfo::startTimestamp).toList());
        assertEquals(List.of(2000L, 2000L, 2000L), segments.subList(0, 3).stream().map(SegmentInfo::durationMs).toList());
        assertTrue(store.view().orElseThrow().ended());
        assertEquals("p-0.ts", segments.get(0).name());
        for (SegmentInfo segment : segments) {
            TsParser ts = parse(segment);
            assertEquals(0, ts.packets().get(0).pid(), "PAT first");
            assertEquals(0x1000, ts.packets().get(1).pid(), "then the PMT");
            TsParser.Pes video = ts.pes().stream().filter(p -> p.pid() == TsWriter.VIDEO_PID).findFirst().orElseThrow();
            assertTrue(video.randomAccess(), "a segment starts with a keyframe");
            assertEquals(video.dts() - TsWriter.PCR_DELAY_MS * 90, video.pcrBase());
            assertEquals(TsWriter.clock(segment.startTimestamp()), firstDts(ts, TsWriter.VIDEO_PID));
            // Annex B with a delimiter, then the SPS (NAL header 0x67) in front of the IDR picture.
            assertTrue(io.netty.buffer.ByteBufUtil.hexDump(video.payload()).startsWith("0000000109f00000000167"));
        }
    }

    @Test
    void aProgramSwitchCutsASegmentAtTheNewInputsKeyframeWithoutADiscontinuity() {
        open(4000);
        segmenter.start();
        store.reopen();
        for (MediaFrame frame : SampleMedia.frames(SampleMedia.AV_720P)) {
            if (frame instanceof VideoFrame v && v.isRandomAccessPoint() && v.timestamp() == 2000) {
                segmenter.switched(); // the hub says so before the new input's headers and keyframe
            }
            segmenter.frame(frame);
            frame.release();
        }
        segmenter.stop();
        List<SegmentInfo> segments = segments();
        assertEquals(List.of(0L, 2000L, 6000L), segments.stream().map(SegmentInfo::startTimestamp).toList(),
                "cut at the switch, then at the target again");
        assertTrue(segments.stream().noneMatch(SegmentInfo::discontinuity), "same codec parameters: no discontinuity");
    }

    @Test
    void aProgramSwitchMarksADiscontinuityExactlyWhenTheVideoParametersDiffer() {
        open(4000);
        segmenter.start();
        store.reopen();
        feed(SampleMedia.AV_720P, 0, frame -> true);
        segmenter.switched();
        // The other input: video only, its own sequence header (another stream's parameters), on the continuing timeline.
        feed(SampleMedia.VIDEO_ONLY, 6100, frame -> true);
        segmenter.stop();
        List<SegmentInfo> segments = segments();
        SegmentInfo switched = segments.stream().filter(s -> s.startTimestamp() >= 6100).findFirst().orElseThrow();
        assertEquals(6100L, switched.startTimestamp(), "the new input starts a segment of its own");
        assertEquals(!sameVideo(), switched.discontinuity(), "EXT-X-DISCONTINUITY only for other parameters");
    }

    /** True when the two sample clips' video sequence headers say the same (then no discontinuity is due). */
    private static boolean sameVideo() {
        List<MediaFrame> first = SampleMedia.frames(SampleMedia.AV_720P);
        List<MediaFrame> second = SampleMedia.frames(SampleMedia.VIDEO_ONLY);
        try {
            return VideoTrack.parse(videoHeader(first)).sameConfig(VideoTrack.parse(videoHeader(second)));
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            first.forEach(MediaFrame::release);
            second.forEach(MediaFrame::release);
        }
    }

    private static VideoFrame videoHeader(List<MediaFrame> frames) {
        return frames.stream().filter(f -> f instanceof VideoFrame v && v.isSequenceHeader()).map(f -> (VideoFrame) f)
                .findFirst().orElseThrow();
    }

    @Test
    void aLongerTargetSpansSeveralKeyframeIntervals() {
        open(4000);
        publish(SampleMedia.AV_720P, 0);
        // The keyframe at 6 s comes only 2 s into the second segment: no cut there.
        assertEquals(List.of(0L, 4000L), segments().stream().map(SegmentInfo::startTimestamp).toList());
        assertEquals(4000L, segments().get(0).durationMs());
        assertEquals(4, store.view().orElseThrow().targetDuration());
    }

    @Test
    void audioOnlyStreamsAreCutOnTime() {
        open(2000);
        publish(SampleMedia.AUDIO_ONLY, 0);
        List<SegmentInfo> segments = segments();
        assertTrue(segments.size() >= 3, segments.toString());
        for (SegmentInfo segment : segments.subList(0, segments.size() - 1)) {
            assertTrue(segment.durationMs() >= 2000 && segment.durationMs() < 2000 + 22, segment.toString());
            TsParser ts = parse(segment);
            assertTrue(ts.pes().stream().allMatch(p -> p.pid() == TsWriter.AUDIO_PID && p.pcrBase() >= 0),
                    "audio only, with the PCR on the audio PID");
            assertEquals(0xFF, ts.pes().get(0).payload()[0] & 0xFF, "ADTS sync word");
        }
    }

    @Test
    void aNewPublishContinuesTheSequenceAfterADiscontinuity() {
        open(2000);
        publish(SampleMedia.AV_720P, 0);
        segmenter.start();
        store.reopen();
        assertFalse(store.view().orElseThrow().ended(), "the playlist is live again as soon as a publish starts");
        feed(SampleMedia.AV_720P, 9000, frame -> true);
        segmenter.stop();
        List<SegmentInfo> segments = segments();
        // Four segments per publish; the window of six shows the last two of the first and all of the second.
        assertEquals(List.of(false, false, true, false, false, false), segments.stream().map(SegmentInfo::discontinuity).toList());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), segments.stream().map(SegmentInfo::sequence).toList());
        assertEquals(9000L, segments.get(2).startTimestamp());
        assertEquals(2, store.view().orElseThrow().mediaSequence());
        assertTrue(store.view().orElseThrow().ended());
    }

    @Test
    void changedCodecParametersStartANewSegmentWithADiscontinuity() {
        open(2000);
        segmenter.start();
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
        VideoFrame header = (VideoFrame) frames.stream().filter(f -> f instanceof VideoFrame v && v.isSequenceHeader())
                .findFirst().orElseThrow();
        ByteBuf changed = header.payload().copy();
        changed.setByte(header.dataOffset() + 3, changed.getByte(header.dataOffset() + 3) + 1); // AVCLevelIndication
        boolean injected = false;
        for (MediaFrame frame : frames) {
            segmenter.frame(frame);
            if (!injected && frame instanceof VideoFrame && frame.timestamp() >= 3000) {
                injected = true;
                segmenter.frame(new VideoFrame(frame.timestamp(), header.codec(), header.kind(), true, 0, header.dataOffset(),
                        changed));
            }
        }
        frames.forEach(MediaFrame::release);
        changed.release();
        segmenter.stop();
        List<SegmentInfo> segments = segments();
        assertEquals(List.of(0L, 2000L, 4000L, 6000L), segments.stream().map(SegmentInfo::startTimestamp).toList());
        assertEquals(List.of(false, false, true, false), segments.stream().map(SegmentInfo::discontinuity).toList());
        assertTrue(segments.get(1).durationMs() >= 1000 && segments.get(1).durationMs() < 1100, "cut at the new parameters");
    }

    @Test
    void framesBeforeTheFirstKeyframeAreLeftOut() {
        open(2000);
        segmenter.start();
        for (MediaFrame frame : SampleMedia.frames(SampleMedia.AV_720P)) {
            boolean header = frame instanceof VideoFrame v && v.isSequenceHeader()
                    || frame instanceof fluxrelay.media.AudioFrame a && a.sequenceHeader();
            if (header || frame.timestamp() >= 1000) { // a join in the middle of the first group of pictures
                segmenter.frame(frame);
            }
            frame.release();
        }
        segmenter.stop();
        assertEquals(2000L, segments().get(0).startTimestamp());
        assertTrue(segmenter.skipped() > 20, "skipped " + segmenter.skipped());
    }

    @Test
    void programDateTimesFollowTheMediaTimeline() {
        open(2000);
        segmenter.start();
        for (MediaFrame frame : SampleMedia.frames(SampleMedia.AV_720P)) {
            clock.set(1_700_000_000_000L + frame.timestamp() + 40); // frames arrive 40 ms after their time
            segmenter.frame(frame);
            frame.release();
        }
        segmenter.stop();
        List<SegmentInfo> segments = segments();
        for (SegmentInfo segment : segments) {
            assertEquals(1_700_000_000_040L + segment.startTimestamp(), segment.programDateTime());
        }
    }
}
