package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.msg;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import fluxrelay.rtmp.chunk.ChunkFixtures.Msg;
import fluxrelay.rtmp.chunk.ChunkFixtures.Splits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random messages through {@link ChunkEncoder} and back through {@link ChunkDecoder}, with random
 * chunk size changes, chunk stream ids of all three basic header forms, timestamps that jump back,
 * cross 0xFFFFFF and wrap past 2^32, fed to the decoder in random pieces. Seeds are fixed.
 */
class ChunkRoundTripTest {

    private static final int[] CSIDS = {3, 4, 5, 6, 8, 63, 64, 200, 319, 320, 4000, 65599};
    private static final int[] CHUNK_SIZES = {1, 2, 7, 127, 128, 129, 1000, 4096, 60000, 65536};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 2024})
    void randomMessagesSurviveEncodeAndDecode(long seed) {
        Random random = new Random(seed);
        List<Msg> sent = randomMessages(random, 400);

        EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
        EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS));
        Splits splits = Splits.random(seed, 3000);
        List<Msg> received = new ArrayList<>();
        for (Msg m : sent) {
            encoder.writeOutbound(m.toRaw());
            for (ByteBuf out; (out = encoder.readOutbound()) != null; ) {
                while (out.isReadable()) {
                    decoder.writeInbound(out.readRetainedSlice(Math.min(splits.next(), out.readableBytes())));
                }
                out.release();
            }
            received.addAll(ChunkFixtures.drainInbound(decoder));
        }
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(sent.get(i), received.get(i), "message " + i);
        }
        assertEquals(encoder.pipeline().get(ChunkEncoder.class).outgoingChunkSize(),
                decoder.pipeline().get(ChunkDecoder.class).incomingChunkSize());
        assertFalse(encoder.finish());
        assertFalse(decoder.finish());
    }

    private static List<Msg> randomMessages(Random random, int count) {
        List<Msg> out = new ArrayList<>();
        Map<Integer, Long> clock = new HashMap<>();
        int chunkSize = 128;
        for (int i = 0; i < count; i++) {
            if (random.nextInt(25) == 0) {
                chunkSize = CHUNK_SIZES[random.nextInt(CHUNK_SIZES.length)];
                out.add(msg(2, MessageTypes.SET_CHUNK_SIZE, 0, 0,
                        new byte[] {(byte) (chunkSize >>> 24), (byte) (chunkSize >>> 16), (byte) (chunkSize >>> 8),
                                (byte) chunkSize}));
                continue;
            }
            int csid = CSIDS[random.nextInt(CSIDS.length)];
            long ts = nextTimestamp(random, clock.getOrDefault(csid, (long) random.nextInt(1000)));
            clock.put(csid, ts);
            int type = random.nextBoolean() ? MessageTypes.VIDEO : random.nextBoolean() ? MessageTypes.AUDIO
                    : MessageTypes.DATA_AMF0;
            int msid = random.nextInt(10) == 0 ? random.nextInt(3) : 1;
            int maxSize = chunkSize < 8 ? 300 : chunkSize < 1000 ? 3000 : random.nextInt(8) == 0 ? 70000 : 2000;
            int size = random.nextInt(6) == 0 ? random.nextInt(4) : random.nextInt(maxSize);
            out.add(msg(csid, type, ts, msid, pattern(size, i)));
        }
        return out;
    }

    /** Mostly small steps and repeats, sometimes back, across 0xFFFFFF, or past 2^32. */
    private static long nextTimestamp(Random random, long previous) {
        return switch (random.nextInt(12)) {
            case 0 -> Math.max(0, previous - random.nextInt(500));
            case 1 -> 0xFFFFFF - random.nextInt(100);
            case 2 -> 0xFFFFFFFFL - random.nextInt(100);
            case 3, 4 -> previous;
            default -> (previous + random.nextInt(3) * 23) & 0xFFFFFFFFL;
        };
    }
}
