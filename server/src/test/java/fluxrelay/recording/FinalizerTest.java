package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import fluxrelay.testing.SampleMedia;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fragment file as a crash leaves it (its last fragment cut short) still decodes up to its last whole
 * fragment, is finalized from what is whole, and a recorder starting next to it finalizes it and lists it ready.
 */
class FinalizerTest {

    @TempDir
    Path directory;

    @Test
    void aFragmentFileCutShortDecodesAndFinalizesUpToItsLastWholeFragment() throws Exception {
        Path fragments = directory.resolve("cut.fmp4");
        writeUnclosed(fragments);
        int whole = Mp4Probe.videoFrames(fragments);
        cutLastFragment(fragments);
        int kept = Mp4Probe.videoFrames(fragments);
        assertTrue(kept > 30 && kept < whole, kept + " of " + whole);

        Path mp4 = directory.resolve("cut.mp4");
        Finalizer.Result result = Finalizer.run(fragments, mp4, ByteBufAllocator.DEFAULT);
        assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(mp4));
        assertEquals("", Mp4Probe.decodeErrors(mp4));
        int finalized = result.samples().get(TrackSetup.VIDEO_TRACK);
        assertTrue(finalized > 30 && finalized <= kept, finalized + " finalized, " + kept + " decoded from the cut file");
        assertEquals(finalized, Mp4Probe.videoFrames(mp4), "every frame of the whole fragments");
        assertEquals(Mp4Probe.duration(mp4), result.durationSeconds(), 0.05);
        assertEquals(Files.size(mp4), result.size());
    }

    @Test
    void aFileWithoutAWholeFragmentFailsToFinalize() throws Exception {
        Path fragments = directory.resolve("empty.fmp4");
        writeUnclosed(fragments);
        try (FileChannel channel = FileChannel.open(fragments, StandardOpenOption.WRITE)) {
            channel.truncate(2000); // the initialization segment and a few bytes of the first fragment
        }
        IOException error = assertThrows(IOException.class, () -> Finalizer.run(fragments, directory.resolve("empty.mp4"),
                ByteBufAllocator.DEFAULT));
        assertTrue(error.getMessage().contains("no complete fragment"), error.getMessage());
        assertFalse(Files.exists(directory.resolve("empty.mp4")));
    }

    @Test
    void aRecorderStartingNextToAnUnfinishedRecordingFinalizesItAndListsItReady() throws Exception {
        Catalogue left = new Catalogue(directory);
        left.load();
        String id = left.newId("room1", Instant.parse("2026-01-02T03:04:05Z"));
        assertEquals("room1-20260102-030405", id);
        writeUnclosed(left.fragments(id));
        left.put(new Recording(id, "room1", Instant.parse("2026-01-02T03:04:05Z"), null, 0, 0, List.of("avc1.64001f", "mp4a.40.2"),
                RecordingState.RECORDING, left.fragments(id), null));

        RecorderTest.Events events = new RecorderTest.Events();
        try (Recorder recorder = new Recorder(new RecordingSettings(directory, Duration.ofSeconds(30), Duration.ofSeconds(1),
                Duration.ZERO, 0, 0, 1, Duration.ofSeconds(10)), ByteBufAllocator.DEFAULT, events, Clock.systemUTC())) {
            recorder.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
            Recording ready = recorder.find(id).orElseThrow();
            assertEquals(RecordingState.READY, ready.state());
            assertEquals(List.of("avc1.64001f", "mp4a.40.2"), ready.codecs());
            assertTrue(ready.end() != null && ready.durationSeconds() > 1, ready.toString());
            assertEquals("", Mp4Probe.decodeErrors(ready.file()));
            assertFalse(Files.exists(left.fragments(id)));
        }
        // and the catalogue entry says so for the next start
        Catalogue next = new Catalogue(directory);
        assertEquals(List.of(), next.load());
        assertEquals(RecordingState.READY, next.find(id).orElseThrow().state());
    }

    @Test
    void aTrackStartingLateKeepsItsPlaceInTheFinalizedFileAndItsReplay() throws Exception {
        Path fragments = directory.resolve("late-audio.fmp4");
        // the encoder's audio starts half a second after the first keyframe
        double audioAfterFirstPicture = writeUnclosed(fragments, 500);
        Path mp4 = directory.resolve("late-audio.mp4");
        Finalizer.run(fragments, mp4, ByteBufAllocator.DEFAULT);
        assertEquals("", Mp4Probe.decodeErrors(mp4));
        String streams = Mp4Probe.streams(mp4);
        double video = startTime(streams, "h264");
        double audio = startTime(streams, "aac");
        assertTrue(audioAfterFirstPicture > 0.4, "audio starts " + audioAfterFirstPicture + " s after the first picture");
        assertEquals(audioAfterFirstPicture, audio - video, 0.002, "audio presented where it was published: " + streams);

        MovieIndex index = MovieIndex.read(mp4);
        MovieIndex.Track v = index.lead();
        MovieIndex.Track a = index.tracks().stream().filter(t -> !t.video()).findFirst().orElseThrow();
        double videoFirstPicture = v.seconds(v.decodeTimes()[0] + v.compositionOffsets()[0]);
        assertEquals(audioAfterFirstPicture, a.seconds(a.decodeTimes()[0]) - videoFirstPicture, 0.002,
                "the replay's fragments keep the offset");
    }

    /** A stream's start_time from {@link Mp4Probe#streams} ({@code codec,start,duration,frames;...}). */
    private static double startTime(String streams, String codec) {
        for (String stream : streams.split(";")) {
            String[] fields = stream.split(",");
            if (fields[0].equals(codec)) {
                return Double.parseDouble(fields[1]);
            }
        }
        throw new AssertionError("no " + codec + " stream in " + streams);
    }

    /** The sample clip written to a fragment file that is never closed, as a killed server leaves it. */
    static void writeUnclosed(Path file) throws IOException {
        writeUnclosed(file, 0);
    }

    /**
     * The same with the audio before {@code audioLagMs} after the first keyframe left out; answers how long after the
     * first picture is presented the first audio frame is, seconds.
     */
    static double writeUnclosed(Path file, long audioLagMs) throws IOException {
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
        try {
            TrackSetup.Video video = null;
            TrackSetup.Audio audio = null;
            FragmentWriter writer = null;
            long origin = 0;
            long firstPicture = -1;
            long firstAudio = -1;
            for (MediaFrame frame : frames) {
                if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                    video = TrackSetup.Video.parse(v);
                } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
                    audio = TrackSetup.Audio.parse(a);
                } else if (frame instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME) {
                    if (writer == null) {
                        writer = new FragmentWriter(file, new TrackSetup(video, audio), 1000, ByteBufAllocator.DEFAULT);
                        origin = v.timestamp();
                        firstPicture = v.timestamp() + v.compositionTime();
                    }
                    ByteBuf payload = v.payload();
                    int start = payload.readerIndex() + v.dataOffset();
                    writer.video(v.timestamp() - origin, v.compositionTime(), v.isRandomAccessPoint(), payload, start,
                            payload.writerIndex() - start);
                } else if (frame instanceof AudioFrame a && writer != null && a.timestamp() >= origin + audioLagMs) {
                    if (firstAudio < 0) {
                        firstAudio = a.timestamp();
                    }
                    ByteBuf payload = a.payload();
                    int start = payload.readerIndex() + a.dataOffset();
                    writer.audio(a.timestamp() - origin, payload, start, payload.writerIndex() - start);
                }
            }
            writer.abandon();
            return (firstAudio - firstPicture) / 1000.0;
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    /** Cuts the file in the middle of its last movie fragment. */
    private static void cutLastFragment(Path file) throws IOException {
        List<String> boxes = Mp4Probe.topLevelBoxes(file);
        assertTrue(boxes.lastIndexOf("moof") > 2, boxes.toString());
        long lastMoof = offsetOfLast(file, "moof");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(lastMoof + (channel.size() - lastMoof) / 2);
        }
    }

    private static long offsetOfLast(Path file, String type) throws IOException {
        long found = -1;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            while (at + 8 <= in.size()) {
                java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(8);
                in.read(header, at);
                if (new String(header.array(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1).equals(type)) {
                    found = at;
                }
                at += header.getInt(0) & 0xFFFFFFFFL;
            }
        }
        return found;
    }
}
