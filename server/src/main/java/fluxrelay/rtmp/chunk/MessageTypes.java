package fluxrelay.rtmp.chunk;

/**
 * Well-known RTMP message type ids: protocol control messages (RTMP spec 5.4), user control
 * (6.2, 7.1.7) and the RTMP command and media messages (7.1).
 */
public final class MessageTypes {

    /** Set Chunk Size (5.4.1): 4-byte new chunk size, top bit zero. */
    public static final int SET_CHUNK_SIZE = 1;
    /** Abort Message (5.4.2): 4-byte chunk stream id whose partial message is dropped. */
    public static final int ABORT = 2;
    /** Acknowledgement (5.4.3): 4-byte sequence number, the bytes received so far. */
    public static final int ACK = 3;
    /** User Control Message (6.2): 2-byte event type then event data. */
    public static final int USER_CONTROL = 4;
    /** Window Acknowledgement Size (5.4.4): 4-byte window. */
    public static final int WINDOW_ACK_SIZE = 5;
    /** Set Peer Bandwidth (5.4.5): 4-byte window and a 1-byte limit type. */
    public static final int SET_PEER_BANDWIDTH = 6;
    /** Audio data (7.1.4). */
    public static final int AUDIO = 8;
    /** Video data (7.1.5). */
    public static final int VIDEO = 9;
    /** Data message, AMF3 (7.1.2). */
    public static final int DATA_AMF3 = 15;
    /** Shared object message, AMF3 (7.1.3). */
    public static final int SHARED_OBJECT_AMF3 = 16;
    /** Command message, AMF3 (7.1.1). */
    public static final int COMMAND_AMF3 = 17;
    /** Data message, AMF0 (7.1.2), e.g. {@code @setDataFrame}/{@code onMetaData}. */
    public static final int DATA_AMF0 = 18;
    /** Shared object message, AMF0 (7.1.3). */
    public static final int SHARED_OBJECT_AMF0 = 19;
    /** Command message, AMF0 (7.1.1), e.g. {@code connect}, {@code publish}. */
    public static final int COMMAND_AMF0 = 20;
    /** Aggregate message (7.1.6): a run of sub-messages in one body. */
    public static final int AGGREGATE = 22;

    private MessageTypes() {
    }
}
