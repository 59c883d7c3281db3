package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainOutbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What the shared-write tests ({@link MessageRunTest}, {@link MessageChainTest}) feed and compare against: a stream of
 * audio and video messages, connections with a 4096-byte chunk size, and the bytes ordinary chunking writes for them.
 */
final class SharedWriteFixture {

    static final int CHUNK_SIZE = 4096;
    static final int STREAM_ID = 1;
    /** The second message's length when the tests want it to span several chunks. */
    static final int MULTI_CHUNK = 3 * CHUNK_SIZE + 17;

    private SharedWriteFixture() {
    }

    record Message(int csid, int type, long timestamp, byte[] payload) {
    }

    /** Audio and video messages 21 and 33 ms apart from {@code from}, the second one {@code bigVideo} bytes long. */
    static List<Message> messages(long from, int count, int bigVideo) {
        List<Message> out = new ArrayList<>();
        long audio = from;
        long video = from;
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                out.add(new Message(6, MessageTypes.AUDIO, audio, pattern(370, i)));
                audio += 21;
            } else {
                out.add(new Message(7, MessageTypes.VIDEO, video, pattern(i == 1 ? bigVideo : 900 + 10 * i, i)));
                video += 33;
            }
        }
        return out;
    }

    /** A connection's encoder, its chunk size already set to {@link #CHUNK_SIZE}. */
    static EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        channel.writeOutbound(new RawMessage(2, MessageTypes.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(CHUNK_SIZE)));
        drainOutbound(channel);
        return channel;
    }

    static ChunkEncoder encoder(EmbeddedChannel channel) {
        return channel.pipeline().get(ChunkEncoder.class);
    }

    /** What ordinary chunking of {@code messages} writes, with {@code between} after message {@code at} (or none). */
    static byte[] reference(List<Message> messages, int at, RawMessage between) {
        EmbeddedChannel channel = connection();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            channel.writeOutbound(new RawMessage(m.csid(), m.type(), m.timestamp(), STREAM_ID, Unpooled.wrappedBuffer(m.payload())));
            if (i == at) {
                channel.writeOutbound(between);
            }
        }
        return drainOutbound(channel);
    }

    /** A connection's own message (a status) written between shared ones. */
    static RawMessage status() {
        return new RawMessage(5, MessageTypes.DATA_AMF0, 0, STREAM_ID, Unpooled.wrappedBuffer(pattern(60, 77)));
    }
}
