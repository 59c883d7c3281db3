package fluxrelay.loadtest.rtmp;

import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.handshake.ClientHandshakeHandler;
import fluxrelay.rtmp.handshake.HandshakeKind;
import fluxrelay.rtmp.message.RtmpMessageEncoder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/**
 * The client side of the RTMP layers, built from the server's codecs (RTMP spec 5.2-5.4): handshake, chunk
 * encoder and decoder, message encoder, then the caller's handler.
 *
 * <p>Inbound there is no message decoder: the handler gets whole {@code RawMessage}s, reads media in place
 * and decodes only the rare command messages ({@link Commands}), so a received frame costs one pooled buffer
 * and no other object.
 */
public final class RtmpClientPipeline {

    /** Bytes of S0+S1+S2, counted towards acknowledgements (RTMP spec 5.4.3). */
    private static final int HANDSHAKE_BYTES = 1 + 2 * 1536;
    private static final RtmpMessageEncoder MESSAGE_ENCODER = new RtmpMessageEncoder();

    private RtmpClientPipeline() {
    }

    /** Adds the RTMP client layers and {@code session} to an empty pipeline. */
    public static void install(ChannelPipeline pipeline, ChunkLimits limits, ChannelHandler session) {
        pipeline.addLast("handshake", new ClientHandshakeHandler(HandshakeKind.PLAIN));
        pipeline.addLast("chunkEncoder", new ChunkEncoder());
        pipeline.addLast("chunkDecoder", new ChunkDecoder(limits, HANDSHAKE_BYTES));
        pipeline.addLast("messageEncoder", MESSAGE_ENCODER);
        pipeline.addLast("session", session);
    }
}
