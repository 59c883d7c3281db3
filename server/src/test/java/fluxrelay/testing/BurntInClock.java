package fluxrelay.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A live publisher whose picture carries its own wall clock: ffmpeg's lavfi {@code testsrc2} at 640x360 and
 * 30 fps plus a sine tone, paced in real time ({@code -re}), H.264 (x264, zero-latency tuning, a keyframe
 * every {@code gopFrames}) and AAC, pushed over RTMP.
 *
 * <p>The top 64 rows are a strip of {@value #BITS} cells of 32x32 pixels: bit k of the milliseconds between
 * {@code epochMs} and the moment the frame passed the filter (ffmpeg's {@code RTCTIME}, i.e. when the
 * "camera" took it) is a white cell in row 0, and its inverse in row 1, so a misread cell is detected.
 * {@code server/src/test/browser/player.js} reads it back from every frame the browser presents.
 */
public final class BurntInClock {

    /** Bits of the millisecond counter: it wraps every 2^20 ms, about 17 minutes. */
    public static final int BITS = 20;
    private static final int CELL = 32;

    private BurntInClock() {
    }

    /** The video filter: stamp the wall clock into the strip, then give frames plain 30 fps timestamps again. */
    static String filter(long epochMs) {
        StringBuilder f = new StringBuilder("settb=1/1000000,setpts=RTCTIME-").append(epochMs).append("000")
                .append(",drawbox=x=0:y=0:w=").append(BITS * CELL).append(":h=").append(2 * CELL).append(":color=black:t=fill");
        for (int k = 0; k < BITS; k++) {
            String bit = "mod(floor(t*1000/" + (1L << k) + "),2)";
            f.append(",drawbox=x=").append(k * CELL).append(":y=0:w=").append(CELL).append(":h=").append(CELL)
                    .append(":color=white:t=fill:enable='").append(bit).append('\'');
            f.append(",drawbox=x=").append(k * CELL).append(":y=").append(CELL).append(":w=").append(CELL).append(":h=").append(CELL)
                    .append(":color=white:t=fill:enable='1-").append(bit).append('\'');
        }
        return f.append(",settb=1/30,setpts=N").toString();
    }

    /** Starts publishing to {@code rtmpUrl} until closed. */
    public static Ffmpeg.Run publish(String rtmpUrl, long epochMs, int gopFrames) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "-re", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-vf", filter(epochMs),
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-b:v", "1M",
                "-g", String.valueOf(gopFrames), "-keyint_min", String.valueOf(gopFrames), "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "flv", rtmpUrl));
        return Ffmpeg.startFfmpeg(args.toArray(String[]::new));
    }
}
