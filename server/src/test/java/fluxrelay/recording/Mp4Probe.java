package fluxrelay.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.testing.Ffmpeg;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** What ffprobe, ffmpeg and a box walk say of an MP4 file. */
public final class Mp4Probe {

    private Mp4Probe() {
    }

    /** The container's duration in seconds (ffprobe format=duration). */
    public static double duration(Path file) throws Exception {
        return Double.parseDouble(run(Ffmpeg.startFfprobe("-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                file.toString())).trim());
    }

    /**
     * Video frames a decoder reads (ffprobe -count_frames); the count is the last line, after any errors (a file cut
     * short has some at its end).
     */
    public static int videoFrames(Path file) throws Exception {
        return videoFrames(file.toString());
    }

    /** The same of a file or URL (an HLS playlist). */
    public static int videoFrames(String file) throws Exception {
        String[] lines = run(Ffmpeg.startFfprobe("-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                "stream=nb_read_frames", "-of", "csv=p=0", file.toString())).trim().split("\n");
        return Integer.parseInt(lines[lines.length - 1].trim());
    }

    /** The codec names of the streams, in order. */
    public static List<String> codecs(Path file) throws Exception {
        return List.of(run(Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                file.toString())).trim().split("\\s+"));
    }

    /** Each stream's codec, start time, duration and frame count, for messages. */
    public static String streams(Path file) throws Exception {
        return run(Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,start_time,duration,nb_frames",
                "-of", "csv=p=0", file.toString())).trim().replace('\n', ';');
    }

    /** What {@code ffmpeg -v error -i FILE -f null -} prints: empty when the whole file decodes cleanly. */
    public static String decodeErrors(Path file) throws Exception {
        return decodeErrors(file.toString());
    }

    /** The same of a file or URL (an HLS playlist). */
    public static String decodeErrors(String file) throws Exception {
        return run(Ffmpeg.startFfmpeg("-v", "error", "-i", file, "-f", "null", "-")).trim();
    }

    /** The types of the top-level boxes, in file order. */
    public static List<String> topLevelBoxes(Path file) throws IOException {
        List<String> types = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            while (at + 8 <= in.size()) {
                ByteBuffer header = ByteBuffer.allocate(16);
                in.read(header, at);
                long size = header.getInt(0) & 0xFFFFFFFFL;
                if (size == 1) {
                    size = header.getLong(8);
                }
                types.add(new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1));
                if (size < 8) {
                    break;
                }
                at += size;
            }
        }
        return types;
    }

    private static String run(Ffmpeg.Run run) throws Exception {
        try (run) {
            assertEquals(0, run.await(120), run.output());
            return run.output();
        }
    }
}
