package fluxrelay.rtmp.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An audio (type 8) or video (type 9) message (RTMP spec 7.1.4, 7.1.5): an FLV tag body.
 *
 * <p>Owns its payload: the receiver releases it or hands it on.
 */
public final class MediaMessage extends DefaultByteBufHolder implements RtmpMessage {

    public static final int AUDIO = 8;
    public static final int VIDEO = 9;

    private final int typeId;
    private final long timestamp;
    private final int messageStreamId;

    public MediaMessage(int typeId, long timestamp, int messageStreamId, ByteBuf payload) {
        super(payload);
        if (typeId != AUDIO && typeId != VIDEO) {
            throw new IllegalArgumentException("not a media type: " + typeId);
        }
        this.typeId = typeId;
        this.timestamp = timestamp;
        this.messageStreamId = messageStreamId;
    }

    /** 8 for audio, 9 for video. */
    public int typeId() {
        return typeId;
    }

    /** True for audio. */
    public boolean isAudio() {
        return typeId == AUDIO;
    }

    /** Timestamp, ms, 32-bit unsigned. */
    public long timestamp() {
        return timestamp;
    }

    /** Message stream id. */
    public int messageStreamId() {
        return messageStreamId;
    }

    @Override
    public MediaMessage replace(ByteBuf content) {
        return new MediaMessage(typeId, timestamp, messageStreamId, content);
    }

    @Override
    public String toString() {
        return (isAudio() ? "Audio" : "Video") + "[ts=" + timestamp + ", sid=" + messageStreamId + ", "
                + content().readableBytes() + " bytes]";
    }
}
