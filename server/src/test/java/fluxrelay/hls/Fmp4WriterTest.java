package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fMP4 writer against real decoders: the sample clip written as an initialization segment and one
 * movie fragment per part (segments cut at keyframes, parts every few frames), read back by ffprobe and
 * decoded by ffmpeg frame by frame.
 */
class Fmp4WriterTest {

    @TempDir
    Path dir;

    @Test
    void ffmpegDecodesEveryFrameOfTheSourceFromInitAndFragments() throws Exception {
        writeAndDecode(SampleMedia.file(SampleMedia.AV_720P), SampleMedia.frames(SampleMedia.AV_720P), "h264");
    }

    @Test
    void hevcWithBFramesAsEnhancedRtmpCarriesIt() throws Exception {
        Path source = dir.resolve("hevc.flv");
        try (Ffmpeg.Run encode = Ffmpeg.startFfmpeg("-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "4", "-pix_fmt", "yuv420p", "-c:v", "libx265",
                "-preset", "ultrafast", "-x265-params", "keyint=30:bframes=2:log-level=error", "-c:a", "aac", "-f", "flv",
                source.toString())) {
            assertEquals(0, encode.await(60), encode.output());
        }
        ByteBuf file = Unpooled.wrappedBuffer(Files.readAllBytes(source));
        List<MediaFrame> frames;
        try {
            frames = FlvReader.readAll(file).stream().map(FlvTag::toFrame).toList();
        } finally {
            file.release();
        }
        writeAndDecode(source, frames, "hevc");
    }

    private void writeAndDecode(Path sourceFile, List<MediaFrame> frames, String videoCodec) throws Exception {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        int videoFrames = 0;
        int audioFrames = 0;
        int fragments = 0;
        try (Fmp4Writer writer = new Fmp4Writer(ByteBufAllocator.DEFAULT)) {
            VideoTrack video = null;
            AudioTrack audio = null;
            boolean started = false;
            int sincePart = 0;
            for (MediaFrame frame : frames) {
                if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                    video = VideoTrack.parse(v);
                } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
                    audio = AudioTrack.parse(a);
                } else if (frame instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME) {
                    if (!started) {
                        writer.configure(new Tracks(video, audio));
                        out.writeBytes(writer.initSegment());
                        started = true;
                    }
                    if (v.isRandomAccessPoint() || ++sincePart == 7) {
                        fragments += writer.holdsFrames() ? 1 : 0;
                        writer.endPart(out);
                        sincePart = 0;
                    }
                    writer.writeVideo(v, out);
                    videoFrames++;
                } else if (frame instanceof AudioFrame a && started) {
                    writer.writeAudio(a, out);
                    audioFrames++;
                }
            }
            fragments++;
            writer.endSegment(out);
        } finally {
            frames.forEach(MediaFrame::release);
        }
        Path file = dir.resolve("clip.mp4");
        Files.write(file, ByteBufUtil.getBytes(out));
        out.release();

        Map<String, Integer> decoded = decodedFrames(file.toString());
        Map<String, Integer> source = decodedFrames(sourceFile.toString());
        System.out.printf("fMP4 %s: %d fragments; written video %d, audio %d; ffprobe decoded %s, from the source %s%n",
                videoCodec, fragments, videoFrames, audioFrames, decoded, source);
        assertEquals(Map.of(videoCodec, videoFrames, "aac", audioFrames), decoded);
        assertEquals(source, decoded);
        assertEquals(videoTimes(sourceFile.toString()), videoTimes(file.toString()),
                "each picture is presented when the source presents it (composition offsets)");
        assertTrue(fragments > 15, "parts as well as segments: " + fragments);
        try (Ffmpeg.Run decode = Ffmpeg.startFfmpeg("-v", "error", "-xerror", "-i", file.toString(), "-f", "null", "-")) {
            assertEquals(0, decode.await(60), decode.output());
            assertTrue(decode.output().isBlank(), "ffmpeg reports nothing wrong: " + decode.output());
        }
    }

    /** Presentation times of the video packets in ms, in decode order. */
    private static List<Long> videoTimes(String input) throws Exception {
        String csv = probe("-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time", "-of", "csv=p=0", input);
        return java.util.Arrays.stream(csv.trim().split("\\s+")).map(t -> Math.round(Double.parseDouble(t) * 1000)).toList();
    }

    /** Frames ffprobe decodes per codec. */
    private static Map<String, Integer> decodedFrames(String input) throws Exception {
        String csv = probe("-v", "error", "-count_frames", "-show_entries", "stream=codec_name,nb_read_frames", "-of", "csv=p=0",
                input);
        Map<String, Integer> decoded = new TreeMap<>();
        for (String line : csv.trim().split("\n")) {
            String[] f = line.trim().split(",");
            decoded.put(f[0], Integer.parseInt(f[1]));
        }
        return decoded;
    }

    private static String probe(String... args) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe(args)) {
            assertEquals(0, probe.await(60), probe.output());
            return probe.output();
        }
    }
}
