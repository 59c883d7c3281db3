package fluxrelay.rtmp.chunk;

import io.netty.handler.codec.DecoderException;

/**
 * A peer broke the chunk stream framing (RTMP spec 5.3, 5.4) or exceeded a {@link ChunkLimits} bound.
 * The chunk stream cannot be resynchronised after this: {@link ChunkDecoder} discards all further
 * input and the session is expected to log the message with the remote address and close the
 * connection. The message names the chunk stream id, header format and sizes involved.
 */
public final class ChunkFormatException extends DecoderException {

    private static final long serialVersionUID = 1L;

    public ChunkFormatException(String message) {
        super(message);
    }
}
