package fluxrelay.loadtest.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Frames shaped like the benchmark stream (2 Mbit/s 720p30 H.264 with a 2 s GOP, AAC 128 kbit/s at
 * 48 kHz) with random bytes behind valid FLV audio and video tag headers (FLV spec E.4.2, E.4.3), so the
 * microbenchmarks need no file. {@link #decodableFlv} adds what a packager needs beyond the tag headers.
 */
public final class SyntheticStream {

    /** One tag body and its FLV type and timestamp. */
    record Frame(int type, long timestamp, ByteBuf body) {
    }

    private SyntheticStream() {
    }

    /** Two seconds of frames: one keyframe of ~60 KB, 59 inter frames of ~7 KB, ~94 AAC frames of ~340 bytes. */
    static List<Frame> twoSeconds(long seed) {
        Random random = new Random(seed);
        List<Frame> frames = new ArrayList<>();
        int audio = 0;
        for (int v = 0; v < 60; v++) {
            long ts = v * 1000L / 30;
            int size = v == 0 ? 60_000 : 6_000 + random.nextInt(2_000);
            byte[] body = new byte[size];
            random.nextBytes(body);
            body[0] = (byte) (v == 0 ? 0x17 : 0x27);
            body[1] = 1;
            body[2] = 0;
            body[3] = 0;
            body[4] = 0x42;
            frames.add(new Frame(9, ts, Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(body))));
            while (audio * 1024L * 1000 / 48_000 <= ts + 33) {
                byte[] aac = new byte[330 + random.nextInt(20)];
                random.nextBytes(aac);
                aac[0] = (byte) 0xAF;
                aac[1] = 1;
                frames.add(new Frame(8, audio * 1024L * 1000 / 48_000,
                        Unpooled.unreleasableBuffer(Unpooled.directBuffer(aac.length).writeBytes(aac))));
                audio++;
            }
        }
        return frames;
    }

    /**
     * The AVC decoder configuration record (ISO/IEC 14496-15 5.2.4.1, in an FLV E.4.3.1 body) of the benchmark
     * stream: High profile, level 3.1, 1280x720, as x264 wrote it for {@code bench.sh}'s sample.
     */
    private static final String AVC_SEQUENCE_HEADER = "17000000000164001fffe1001a6764001facd9405005bb0110000003001000000303"
            + "c0f183196001000468efbcb0fdf8f800";
    /** AAC-LC, 48 kHz, stereo: the AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) behind the FLV E.4.2.1 header. */
    private static final String AAC_SEQUENCE_HEADER = "af001190";

    /**
     * Two seconds of the benchmark stream as an FLV file a packager can read: the AVC and AAC sequence
     * headers, then {@link #twoSeconds} frames whose video bodies hold one well-formed AVCC NAL unit each (a
     * 4-byte length, then an IDR slice for the keyframe, a non-IDR slice otherwise, random bytes behind).
     */
    public static ByteBuf decodableFlv(long seed) {
        List<Frame> frames = new ArrayList<>();
        frames.add(new Frame(9, 0, Unpooled.wrappedBuffer(hex(AVC_SEQUENCE_HEADER))));
        frames.add(new Frame(8, 0, Unpooled.wrappedBuffer(hex(AAC_SEQUENCE_HEADER))));
        for (Frame frame : twoSeconds(seed)) {
            ByteBuf body = frame.body();
            if (frame.type() == 9) {
                boolean key = body.getByte(0) == 0x17;
                body.setMedium(2, 0); // composition time 0
                body.setInt(5, body.readableBytes() - 9);
                body.setByte(9, key ? 0x65 : 0x41);
            }
            frames.add(frame);
        }
        return flvFile(frames);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
        }
        return bytes;
    }

    /** Total payload bytes of {@code frames}. */
    static long bytes(List<Frame> frames) {
        return frames.stream().mapToLong(f -> f.body().readableBytes()).sum();
    }

    /** The frames as an FLV file (E.2 header, E.3 PreviousTagSize, E.4.1 tags). */
    static ByteBuf flvFile(List<Frame> frames) {
        ByteBuf file = Unpooled.directBuffer();
        file.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9});
        int previous = 0;
        for (Frame frame : frames) {
            file.writeInt(previous);
            int size = frame.body().readableBytes();
            file.writeByte(frame.type()).writeMedium(size).writeMedium((int) frame.timestamp())
                    .writeByte((int) (frame.timestamp() >>> 24)).writeMedium(0);
            file.writeBytes(frame.body(), frame.body().readerIndex(), size);
            previous = 11 + size;
        }
        return file.writeInt(previous);
    }
}
