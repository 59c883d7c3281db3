package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/** Byte plumbing for EmbeddedChannel tests. */
final class Wire {

    private Wire() {
    }

    /** Everything the channel has written so far, with every outbound buffer released. */
    static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    /** Delivers {@code bytes} as one inbound read. */
    static void send(EmbeddedChannel channel, byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    static void send(EmbeddedChannel channel, byte[] bytes, int from, int to) {
        channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, from, to)));
    }

    static void sendByteByByte(EmbeddedChannel channel, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            send(channel, bytes, i, i + 1);
        }
    }

    /** Delivers {@code bytes} in reads of random lengths (1 to 700) drawn from {@code random}. */
    static void sendInRandomPieces(EmbeddedChannel channel, byte[] bytes, Random random) {
        for (int at = 0; at < bytes.length; ) {
            int end = Math.min(bytes.length, at + 1 + random.nextInt(700));
            send(channel, bytes, at, end);
            at = end;
        }
    }

    /** Moves bytes both ways until neither side has anything left to say. */
    static void pump(EmbeddedChannel client, EmbeddedChannel server) {
        boolean moved = true;
        while (moved) {
            moved = false;
            byte[] toServer = drain(client);
            if (toServer.length > 0 && server.isActive()) {
                send(server, toServer);
                moved = true;
            }
            byte[] toClient = drain(server);
            if (toClient.length > 0 && client.isActive()) {
                send(client, toClient);
                moved = true;
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A C0 of 3 followed by {@code c1}. */
    static byte[] c0c1(byte[] c1) {
        return concat(new byte[] {3}, c1);
    }

    /** 1536 bytes from a seeded generator, with {@code time} and {@code version} in bytes 0..7. */
    static byte[] packet(long seed, int time, int version) {
        byte[] packet = new byte[HandshakePacket.SIZE];
        new Random(seed).nextBytes(packet);
        for (int i = 0; i < 4; i++) {
            packet[i] = (byte) (time >>> (24 - 8 * i));
            packet[4 + i] = (byte) (version >>> (24 - 8 * i));
        }
        return packet;
    }
}
