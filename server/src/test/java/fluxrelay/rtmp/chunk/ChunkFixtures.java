package fluxrelay.rtmp.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Byte and message helpers shared by the chunk tests. */
final class ChunkFixtures {

    private ChunkFixtures() {
    }

    /** A message as plain values, comparable with {@code equals}. */
    record Msg(int csid, int type, long ts, int msid, byte[] payload) {

        static Msg of(RawMessage raw) {
            try {
                return new Msg(raw.chunkStreamId(), raw.typeId(), raw.timestamp(), raw.messageStreamId(),
                        ByteBufUtil.getBytes(raw.payload()));
            } finally {
                raw.release();
            }
        }

        RawMessage toRaw() {
            return new RawMessage(csid, type, ts, msid, Unpooled.wrappedBuffer(payload));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Msg m && m.csid == csid && m.type == type && m.ts == ts && m.msid == msid
                    && Arrays.equals(m.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload) ^ csid ^ type ^ Long.hashCode(ts) ^ msid;
        }

        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 16));
            return "Msg[csid=" + csid + " type=" + type + " ts=" + ts + " msid=" + msid + " len=" + payload.length
                    + " " + hex + (payload.length > 16 ? "..." : "") + "]";
        }
    }

    static Msg msg(int csid, int type, long ts, int msid, byte[] payload) {
        return new Msg(csid, type, ts, msid, payload);
    }

    /** Hex digits with whitespace and {@code #} comments (to end of line) ignored. */
    static byte[] hex(String commented) {
        StringBuilder digits = new StringBuilder();
        for (String line : commented.split("\n")) {
            int hash = line.indexOf('#');
            digits.append((hash >= 0 ? line.substring(0, hash) : line).replaceAll("\\s", ""));
        }
        return HexFormat.of().parseHex(digits);
    }

    /** {@code n} bytes that differ per position and per {@code seed}. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return b;
    }

    static byte[] slice(byte[] b, int from, int to) {
        return Arrays.copyOfRange(b, from, to);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Drains and releases every outbound buffer, concatenated. */
    static byte[] drainOutbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    /** Drains every inbound message, converting and releasing each {@link RawMessage}. */
    static List<Msg> drainInbound(EmbeddedChannel channel) {
        List<Msg> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            RawMessage raw = (RawMessage) o;
            assertEquals(1, raw.payload().nioBufferCount(), "contiguous payload");
            out.add(Msg.of(raw));
        }
        return out;
    }

    /** Encodes {@code messages} with a fresh encoder; every write must produce exactly one buffer. */
    static byte[] encode(List<Msg> messages) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Msg m : messages) {
            assertTrue(channel.writeOutbound(m.toRaw()));
            ByteBuf buf = channel.readOutbound();
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
            assertNull(channel.readOutbound(), "one buffer per message");
        }
        assertFalse(channel.finish());
        return out.toByteArray();
    }

    /** Decodes {@code wire} with a fresh decoder, fed in pieces chosen by {@code splits}. */
    static List<Msg> decode(byte[] wire, Splits splits) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS));
        List<Msg> out = new ArrayList<>();
        int i = 0;
        while (i < wire.length) {
            int n = Math.min(splits.next(), wire.length - i);
            channel.writeInbound(Unpooled.wrappedBuffer(wire, i, n));
            out.addAll(drainInbound(channel));
            i += n;
        }
        assertFalse(channel.finish(), "nothing left after the last message");
        return out;
    }

    /** Sizes of the pieces a byte stream is fed in. */
    interface Splits {
        int next();

        static Splits whole() {
            return () -> Integer.MAX_VALUE;
        }

        static Splits bytewise() {
            return () -> 1;
        }

        /** Random piece sizes from 1 to {@code max}, reproducible from {@code seed}. */
        static Splits random(long seed, int max) {
            Random random = new Random(seed);
            return () -> 1 + random.nextInt(max);
        }
    }
}
