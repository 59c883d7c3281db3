package fluxrelay.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.chunk.ChunkFixtures.Splits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays what ffmpeg 5.1 sent while publishing 2 s of 720p H.264/AAC (test resource
 * {@code rtmp-chunk/ffmpeg-publish-720p-2s.chunks}, see the README beside it): whole, one byte at a
 * time and in random pieces. Expected media values come from ffmpeg writing the same input to an
 * FLV file, parsed independently (README).
 */
class PublishReplayTest {

    private static byte[] capture;

    /** One decoded message in brief, payload by CRC, for comparing whole runs. */
    record Seen(int csid, int type, long ts, int msid, int length, long crc) {
    }

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PublishReplayTest.class.getResourceAsStream("/rtmp-chunk/ffmpeg-publish-720p-2s.chunks")) {
            assertNotNull(in, "capture resource");
            capture = in.readAllBytes();
        }
    }

    @Test
    void decodesTheSessionAsFfmpegSentIt() throws NoSuchAlgorithmException {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS));
        channel.writeInbound(Unpooled.wrappedBuffer(capture));
        List<String> commands = new ArrayList<>();
        MessageDigest media = MessageDigest.getInstance("SHA-256");
        int audio = 0;
        int video = 0;
        long audioTimestamps = 0;
        long videoTimestamps = 0;
        long lastVideo = 0;
        int setChunkSize = 0;
        for (Object o; (o = channel.readInbound()) != null; ) {
            RawMessage m = (RawMessage) o;
            try {
                ByteBuf p = m.payload();
                switch (m.typeId()) {
                    case MessageTypes.COMMAND_AMF0, MessageTypes.DATA_AMF0 ->
                            commands.add(p.toString(p.readerIndex() + 3, p.getUnsignedShort(p.readerIndex() + 1),
                                    StandardCharsets.UTF_8));
                    case MessageTypes.SET_CHUNK_SIZE -> setChunkSize = p.getInt(p.readerIndex());
                    case MessageTypes.AUDIO -> {
                        audio++;
                        audioTimestamps += m.timestamp();
                        media.update(ByteBufUtil.getBytes(p));
                    }
                    case MessageTypes.VIDEO -> {
                        video++;
                        videoTimestamps += m.timestamp();
                        assertTrue(m.timestamp() >= lastVideo, "video timestamps never go back");
                        lastVideo = m.timestamp();
                        media.update(ByteBufUtil.getBytes(p));
                    }
                    default -> throw new AssertionError("unexpected message " + m);
                }
            } finally {
                m.release();
            }
        }
        assertEquals(List.of("connect", "releaseStream", "FCPublish", "createStream", "publish", "@setDataFrame",
                "FCUnpublish", "deleteStream"), commands);
        assertEquals(4096, setChunkSize);
        assertEquals(4096, channel.pipeline().get(ChunkDecoder.class).incomingChunkSize());
        assertEquals(95, audio);
        assertEquals(64, video);
        assertEquals(97541, audioTimestamps);
        assertEquals(65088, videoTimestamps);
        assertEquals(2034, lastVideo);
        assertEquals("5ab438c5f3b6d6eb50873324df874403838f38fc291b7a83e4bf6dd810ef8704",
                HexFormat.of().formatHex(media.digest()));
        assertFalse(channel.finish());
    }

    @Test
    void oneByteAtATimeGivesTheSameMessages() {
        assertEquals(replay(Splits.whole()), replay(Splits.bytewise()));
    }

    @Test
    void randomPiecesGiveTheSameMessages() {
        List<Seen> whole = replay(Splits.whole());
        for (long seed = 1; seed <= 5; seed++) {
            assertEquals(whole, replay(Splits.random(seed, 5000)), "seed " + seed);
        }
    }

    private static List<Seen> replay(Splits splits) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS));
        List<Seen> seen = new ArrayList<>();
        int i = 0;
        while (i < capture.length) {
            int n = Math.min(splits.next(), capture.length - i);
            channel.writeInbound(Unpooled.wrappedBuffer(capture, i, n));
            i += n;
            for (Object o; (o = channel.readInbound()) != null; ) {
                RawMessage m = (RawMessage) o;
                CRC32 crc = new CRC32();
                crc.update(m.payload().nioBuffer());
                seen.add(new Seen(m.chunkStreamId(), m.typeId(), m.timestamp(), m.messageStreamId(),
                        m.payload().readableBytes(), crc.getValue()));
                m.release();
            }
        }
        assertFalse(channel.finish());
        assertTrue(seen.size() > 160);
        return seen;
    }
}
