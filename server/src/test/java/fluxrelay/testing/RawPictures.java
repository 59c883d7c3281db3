package fluxrelay.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads what a viewer decoded, as ffmpeg writes it with {@code -vf scale=S:S,format=rgb24 -f rawvideo}: tests that
 * tell inputs apart by their picture (a solid colour against a test pattern) read the tint of the latest frame.
 */
public final class RawPictures {

    /** The tint of a frame: solid red, solid green, or anything else (a test pattern). */
    public enum Tint { RED, GREEN, OTHER }

    private RawPictures() {
    }

    /** The tint of the {@code pixels} RGB pixels of {@code rgb} from {@code offset}: its average colour, judged. */
    public static Tint tint(byte[] rgb, int offset, int pixels) {
        long r = 0;
        long g = 0;
        long b = 0;
        for (int i = offset; i < offset + pixels * 3; i += 3) {
            r += rgb[i] & 0xFF;
            g += rgb[i + 1] & 0xFF;
            b += rgb[i + 2] & 0xFF;
        }
        r /= pixels;
        g /= pixels;
        b /= pixels;
        if (r > 200 && g < 60 && b < 60) {
            return Tint.RED;
        }
        return g > 200 && r < 60 && b < 60 ? Tint.GREEN : Tint.OTHER;
    }

    /** The last whole frame of {@code frameBytes} written to {@code raw} so far, or null before the first. */
    public static byte[] latest(Path raw, int frameBytes) throws IOException {
        long frames = Files.exists(raw) ? Files.size(raw) / frameBytes : 0;
        if (frames == 0) {
            return null;
        }
        byte[] frame = new byte[frameBytes];
        try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "r")) {
            file.seek((frames - 1) * frameBytes);
            file.readFully(frame);
        }
        return frame;
    }
}
