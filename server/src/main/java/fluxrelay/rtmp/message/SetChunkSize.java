package fluxrelay.rtmp.message;

/** Set Chunk Size (RTMP spec 5.4.1, type 1). */
public record SetChunkSize(int size) implements RtmpMessage {
}
