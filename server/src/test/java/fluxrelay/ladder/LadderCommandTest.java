package fluxrelay.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ffmpeg command line of a ladder: one input, one filter graph, one output per rung. */
class LadderCommandTest {

    private static final String IN = "rtmp://127.0.0.1:1935/_cluster/ladder?room=gala&exp=1&sig=ab";

    @Test
    void oneRungIsOneScaledOutput() {
        List<String> cmd = LadderCommand.of("ffmpeg", "veryfast", IN,
                List.of(new LadderCommand.Output(new Rung("360p", 360, 800, 96), "rtmp://127.0.0.1:1935/live/ladder?r=360p")));
        assertEquals(List.of("ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning", "-copyts", "-i", IN,
                "-filter_complex", "[0:v]split=1[s0];[s0]scale=-2:360[v0]",
                "-map", "[v0]", "-map", "0:a?", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                "-pix_fmt", "yuv420p", "-b:v", "800k", "-maxrate", "800k", "-bufsize", "1600k",
                "-force_key_frames", "source", "-sc_threshold", "0", "-g", "600", "-fps_mode", "passthrough",
                "-c:a", "aac", "-b:a", "96k", "-flvflags", "no_duration_filesize", "-f", "flv",
                "rtmp://127.0.0.1:1935/live/ladder?r=360p"), cmd);
    }

    @Test
    void severalRungsSplitOnceAndEachGetsItsOwnRatesAndUrl() {
        List<String> cmd = LadderCommand.of("/usr/bin/ffmpeg", "faster", IN, List.of(
                new LadderCommand.Output(new Rung("540p", 540, 1800, 128), "rtmp://x/live/a"),
                new LadderCommand.Output(new Rung("360p", 360, 800, 64), "rtmp://x/live/b")));
        assertEquals("/usr/bin/ffmpeg", cmd.get(0));
        assertEquals("[0:v]split=2[s0][s1];[s0]scale=-2:540[v0];[s1]scale=-2:360[v1]",
                cmd.get(cmd.indexOf("-filter_complex") + 1));
        assertEquals(1, cmd.stream().filter("-i"::equals).count(), "the program is read once");
        int second = cmd.indexOf("rtmp://x/live/a") + 1;
        assertEquals(List.of("-map", "[v0]"), cmd.subList(cmd.indexOf("[v0]") - 1, cmd.indexOf("[v0]") + 1));
        assertEquals("1800k", cmd.get(cmd.indexOf("-b:v") + 1));
        assertEquals("128k", cmd.get(cmd.indexOf("-b:a") + 1));
        List<String> rest = cmd.subList(second, cmd.size());
        assertEquals("[v1]", rest.get(rest.indexOf("-map") + 1));
        assertEquals("800k", rest.get(rest.indexOf("-b:v") + 1));
        assertEquals("64k", rest.get(rest.indexOf("-b:a") + 1));
        assertEquals("faster", rest.get(rest.indexOf("-preset") + 1));
        assertEquals("rtmp://x/live/b", cmd.get(cmd.size() - 1));
    }

    @Test
    void aLadderWithoutRungsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LadderCommand.of("ffmpeg", "veryfast", IN, List.of()));
    }

    @Test
    void oddHeightsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Rung("361p", 361, 800, 96));
    }
}
