package fluxrelay.testing;

import java.io.IOException;
import java.util.List;

/**
 * One ffmpeg process publishing two qualities of the same test picture to two stream names, as an encoder with
 * several outputs does: a 640x360 program and a 320x180 rendition, each constant bit rate (x264 with filler data,
 * so that testsrc2's easy picture still costs the rate asked for), 30 fps with a keyframe every 30 frames in both,
 * started together so their timestamps and keyframes line up.
 */
public final class LadderPublisher {

    private LadderPublisher() {
    }

    /**
     * Starts publishing to {@code rtmp://127.0.0.1:{rtmpPort}/{app}/}: {@code programKey} at {@code programKbps}
     * video, {@code renditionKey} at {@code renditionKbps}, both with 64 kbit/s AAC. The caller closes the run.
     */
    public static Ffmpeg.Run start(int rtmpPort, String app, String programKey, int programKbps, String renditionKey,
                                   int renditionKbps) throws IOException {
        String base = "rtmp://127.0.0.1:" + rtmpPort + "/" + app + "/";
        List<String> args = new java.util.ArrayList<>(List.of(Ffmpeg.ffmpeg(), "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-filter_complex", "[0:v]split=2[main][low];[low]scale=320:180[small]"));
        args.addAll(output("[main]", programKbps, base + programKey));
        args.addAll(output("[small]", renditionKbps, base + renditionKey));
        return Ffmpeg.startProcess(args);
    }

    private static List<String> output(String video, int kbps, String url) {
        String rate = kbps + "k";
        return List.of("-map", video, "-map", "1:a", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", (kbps / 2) + "k", "-x264-params", "nal-hrd=cbr",
                "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", url);
    }
}
