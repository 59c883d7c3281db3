package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainInbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Window Acknowledgement Size (RTMP spec 5.4.4) and the {@link AcknowledgementDue} event (5.4.3). */
class AcknowledgementTest {

    /** 16 bytes: Window Acknowledgement Size 100. */
    private static final byte[] WINDOW_100 = hex("""
            02 000000 000004 05 00000000  # fmt 0 | csid 2, type 5
            00000064                      # window 100 bytes
            """);
    /** 13 bytes: a one-byte audio message, then 2 bytes for each repeat as fmt 3. */
    private static final byte[] AUDIO = hex("04 000000 000001 08 01000000 AF");
    private static final byte[] AUDIO_AGAIN = hex("C4 AF");

    private final List<Object> events = new ArrayList<>();

    private EmbeddedChannel channel(long bytesAlreadyReceived) {
        return new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS, bytesAlreadyReceived),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
    }

    private static void write(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        drainInbound(channel);
    }

    @Test
    void firesWhenTheWindowIsReachedAndPassesTheControlMessageUp() {
        EmbeddedChannel channel = channel(0);
        channel.writeInbound(Unpooled.wrappedBuffer(WINDOW_100));
        assertEquals(List.of(ChunkFixtures.msg(2, 5, 0, 0, hex("00000064"))), drainInbound(channel));
        write(channel, AUDIO); // 29 bytes so far
        for (int i = 0; i < 35; i++) {
            write(channel, AUDIO_AGAIN); // 29 + 2 * 35 = 99
        }
        assertEquals(List.of(), events);
        write(channel, AUDIO_AGAIN); // 101: the window of 100 is reached
        assertEquals(List.of(new AcknowledgementDue(101)), events);
        for (int i = 0; i < 49; i++) {
            write(channel, AUDIO_AGAIN); // 199: 98 since the last acknowledgement
        }
        assertEquals(1, events.size());
        write(channel, AUDIO_AGAIN); // 201: 100 since the last
        assertEquals(List.of(new AcknowledgementDue(101), new AcknowledgementDue(201)), events);
        assertFalse(channel.finish());
    }

    @Test
    void countsBytesBeforeTheDecoderAndWrapsModulo2To32() {
        EmbeddedChannel channel = channel(0xFFFFFFFFL - 20);
        write(channel, WINDOW_100);
        for (int i = 0; i < 42; i++) {
            write(channel, i == 0 ? AUDIO : AUDIO_AGAIN); // 16 + 13 + 41 * 2 = 111 bytes
        }
        // 2^32 - 1 - 20 + 111 = 2^32 + 90, fired at the 100th byte seen by this decoder: 2^32 + 80
        assertEquals(List.of(new AcknowledgementDue(0xFFFFFFFFL - 20 + 101 - 0x1_0000_0000L)), events);
        assertEquals(0xFFFFFFFFL - 20 + 111, channel.pipeline().get(ChunkDecoder.class).bytesReceived());
        assertFalse(channel.finish());
    }

    @Test
    void oneEventForAReadSpanningSeveralWindows() {
        EmbeddedChannel channel = channel(3073);
        byte[] many = ChunkFixtures.concat(WINDOW_100, AUDIO);
        for (int i = 0; i < 200; i++) {
            many = ChunkFixtures.concat(many, AUDIO_AGAIN);
        }
        write(channel, many); // 429 bytes in one read
        assertEquals(List.of(new AcknowledgementDue(3073 + 429)), events);
        assertFalse(channel.finish());
    }

    @Test
    void noEventWithoutAWindow() {
        EmbeddedChannel channel = channel(0);
        write(channel, AUDIO);
        for (int i = 0; i < 5000; i++) {
            write(channel, AUDIO_AGAIN);
        }
        assertEquals(List.of(), events);
        assertFalse(channel.finish());
    }

    @Test
    void sequenceNumberIsValidated() {
        assertThrows(IllegalArgumentException.class, () -> new AcknowledgementDue(-1));
        assertThrows(IllegalArgumentException.class, () -> new AcknowledgementDue(0x1_0000_0000L));
    }
}
