package fluxrelay.ladder;

import java.util.ArrayList;
import java.util.List;

/**
 * The ffmpeg command line of a room's ladder: one process reads the program once and encodes every rung
 * ({@code split} then {@code scale} in one filter graph), each to H.264 and AAC published to its own RTMP URL.
 *
 * <p>What keeps the renditions switchable: {@code -copyts} keeps the timestamps read (the program's, see
 * {@link fluxrelay.playback.InternalPlays#keepsTimestamps}); {@code -fps_mode passthrough} keeps every frame at its own
 * time; {@code -force_key_frames source} puts a keyframe where the program has one, {@code -sc_threshold 0} adds none
 * on scene cuts and {@code -g} only bounds a source whose keyframes are very rare; {@code -tune zerolatency} makes no
 * B-frames, so a rendition's keyframe is presented when the program's is (its HLS segments are cut at the same
 * presentation times).
 */
public final class LadderCommand {

    /** The longest GOP of a rung in frames, when the source's keyframes are rarer than this. */
    static final int MAX_GOP_FRAMES = 600;

    /** Where one rung goes. */
    public record Output(Rung rung, String url) {
    }

    private LadderCommand() {
    }

    /**
     * @param ffmpeg the executable
     * @param preset the x264 preset
     * @param input the program's internal play URL
     * @param outputs the rungs to make, at least one
     */
    public static List<String> of(String ffmpeg, String preset, String input, List<Output> outputs) {
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("a ladder needs at least one rung");
        }
        List<String> cmd = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "warning",
                "-copyts", "-i", input, "-filter_complex", filterGraph(outputs)));
        for (int i = 0; i < outputs.size(); i++) {
            Rung rung = outputs.get(i).rung();
            cmd.addAll(List.of("-map", "[v" + i + "]", "-map", "0:a?",
                    "-c:v", "libx264", "-preset", preset, "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                    "-b:v", rung.videoKbps() + "k", "-maxrate", rung.videoKbps() + "k", "-bufsize", 2 * rung.videoKbps() + "k",
                    "-force_key_frames", "source", "-sc_threshold", "0", "-g", String.valueOf(MAX_GOP_FRAMES),
                    "-fps_mode", "passthrough",
                    "-c:a", "aac", "-b:a", rung.audioKbps() + "k",
                    "-flvflags", "no_duration_filesize", "-f", "flv", outputs.get(i).url()));
        }
        return List.copyOf(cmd);
    }

    /** {@code [0:v]split=2[s0][s1];[s0]scale=-2:360[v0];[s1]scale=-2:540[v1]}. */
    static String filterGraph(List<Output> outputs) {
        StringBuilder graph = new StringBuilder("[0:v]split=").append(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            graph.append("[s").append(i).append(']');
        }
        for (int i = 0; i < outputs.size(); i++) {
            graph.append(";[s").append(i).append("]scale=-2:").append(outputs.get(i).rung().height()).append("[v").append(i)
                    .append(']');
        }
        return graph.toString();
    }
}
