package fluxrelay.rtmp.message;

/** Abort Message (RTMP spec 5.4.2, type 2): drop the partial message of a chunk stream. */
public record AbortMessage(int chunkStreamId) implements RtmpMessage {
}
