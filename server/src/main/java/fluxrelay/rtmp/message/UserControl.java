package fluxrelay.rtmp.message;

/**
 * User Control message (RTMP spec 6.2 and 7.1.7, type 4).
 *
 * @param eventType the event (see constants)
 * @param value stream id for stream events, timestamp for pings
 * @param bufferLength buffer length in ms for Set Buffer Length, else 0
 */
public record UserControl(int eventType, long value, long bufferLength) implements RtmpMessage {

    public static final int STREAM_BEGIN = 0;
    public static final int STREAM_EOF = 1;
    public static final int STREAM_DRY = 2;
    public static final int SET_BUFFER_LENGTH = 3;
    public static final int STREAM_IS_RECORDED = 4;
    public static final int PING_REQUEST = 6;
    public static final int PING_RESPONSE = 7;

    /** Stream Begin for a message stream. */
    public static UserControl streamBegin(int streamId) {
        return new UserControl(STREAM_BEGIN, streamId, 0);
    }

    /** Stream EOF for a message stream. */
    public static UserControl streamEof(int streamId) {
        return new UserControl(STREAM_EOF, streamId, 0);
    }

    /** Stream Is Recorded for a message stream. */
    public static UserControl streamIsRecorded(int streamId) {
        return new UserControl(STREAM_IS_RECORDED, streamId, 0);
    }

    /** Ping Request carrying a server timestamp. */
    public static UserControl pingRequest(long timestamp) {
        return new UserControl(PING_REQUEST, timestamp, 0);
    }

    /** Ping Response echoing the request's timestamp. */
    public static UserControl pingResponse(long timestamp) {
        return new UserControl(PING_RESPONSE, timestamp, 0);
    }
}
