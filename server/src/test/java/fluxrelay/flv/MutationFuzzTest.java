package fluxrelay.flv;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.Adts;
import fluxrelay.media.codec.AnnexB;
import fluxrelay.media.codec.AudioSpecificConfig;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.CodecInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of real tags and files, with a fixed seed so a failure replays: whatever the
 * bytes, only {@link FlvFormatException} and {@link CodecFormatException} may come out of
 * demuxing, codec summaries, Annex B conversion and ADTS framing, and no buffer may leak.
 */
class MutationFuzzTest {

    private static final long SEED = 0x5EED_F1F0L;
    private static final int ROUNDS_PER_TAG = 150;
    private static final int FILE_ROUNDS = 400;
    /** Mutations go to the first bytes, where the headers are; bodies are cut to keep the run short. */
    private static final int HEAD = 160;
    private static final AudioSpecificConfig LC_48K = AudioSpecificConfig.parse(new byte[] {0x11, (byte) 0x90});

    @Test
    void mutatedTagsFailOnlyWithFormatErrors() {
        Random random = new Random(SEED);
        List<Sample> samples = samples();
        for (Sample sample : samples) {
            for (int round = 0; round < ROUNDS_PER_TAG; round++) {
                byte[] body = mutate(sample.body, random);
                ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(body.length).writeBytes(body);
                try {
                    exercise(sample.type, buf);
                } catch (FlvFormatException | CodecFormatException expected) {
                    // the only acceptable failures
                } catch (RuntimeException e) {
                    throw new AssertionError("tag type " + sample.type + " body " + hex(body), e);
                }
            }
        }
    }

    @Test
    void mutatedFilesFailOnlyWithFormatErrors() {
        Random random = new Random(SEED);
        byte[] original = Arrays.copyOf(TestMedia.bytes(TestMedia.AUDIO_ONLY), 4096); // header and first tags
        for (int round = 0; round < FILE_ROUNDS; round++) {
            byte[] bytes = original.clone();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                bytes[random.nextInt(600)] = (byte) random.nextInt(256);
            }
            ByteBuf file = ByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
            try {
                for (FlvTag tag : FlvReader.readAll(file)) {
                    exercise(tag.type(), tag.body());
                }
            } catch (FlvFormatException | CodecFormatException expected) {
                // fine
            } catch (RuntimeException e) {
                throw new AssertionError("round " + round, e);
            } finally {
                file.release();
            }
        }
    }

    /** Demuxes (taking ownership of body) and runs every consumer that reads codec data. */
    private static void exercise(int type, ByteBuf body) {
        MediaFrame frame = FlvTagDemuxer.demux(type, 0, body);
        try {
            ByteBuf p = frame.payload();
            int start = p.readerIndex() + frame.dataOffset();
            int length = frame.size() - frame.dataOffset();
            if (frame instanceof VideoFrame v) {
                if (v.isSequenceHeader()) {
                    CodecInfo.fromSequenceHeader(v);
                } else if (v.kind() == VideoPacketKind.CODED_FRAME
                        && (v.codec() == VideoCodec.AVC || v.codec() == VideoCodec.HEVC)) {
                    ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
                    try {
                        AnnexB.convert(p, start, length, 4, out);
                        AnnexB.forEach(p, start, length, 4, v.codec(), (t, o, l) -> { });
                    } finally {
                        out.release();
                    }
                }
            } else if (frame instanceof AudioFrame a) {
                if (a.sequenceHeader() || a.codec() != AudioCodec.AAC) {
                    CodecInfo.fromSequenceHeader(a);
                } else {
                    ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer(Adts.HEADER_LENGTH);
                    try {
                        Adts.writeHeader(out, LC_48K, length);
                    } finally {
                        out.release();
                    }
                }
            }
        } finally {
            frame.release();
        }
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int head = Math.min(HEAD, bytes.length);
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            int at = random.nextInt(head);
            switch (random.nextInt(3)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] ^= (byte) (1 << random.nextInt(8));
                default -> bytes[at] = (byte) (random.nextBoolean() ? 0x00 : 0xFF);
            }
        }
        return random.nextInt(4) == 0 ? Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)) : bytes;
    }

    /**
     * The first tags of every sample file (metadata, sequence headers, first frames); bodies over
     * 4 KiB are cut to 512 bytes, so the HEVC sequence header (2384 bytes) stays whole.
     */
    private static List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        for (String name : TestMedia.ALL) {
            ByteBuf file = TestMedia.load(name);
            try {
                List<FlvTag> tags = FlvReader.readAll(file);
                for (int i = 0; i < tags.size(); i++) {
                    FlvTag tag = tags.get(i);
                    if (i < 12) {
                        ByteBuf body = tag.body();
                        byte[] bytes = new byte[body.readableBytes() > 4096 ? 512 : body.readableBytes()];
                        body.getBytes(body.readerIndex(), bytes);
                        samples.add(new Sample(tag.type(), bytes));
                    }
                    tag.release();
                }
            } finally {
                file.release();
            }
        }
        return samples;
    }

    private static String hex(byte[] bytes) {
        return io.netty.buffer.ByteBufUtil.hexDump(bytes);
    }

    private record Sample(int type, byte[] body) {
    }
}
