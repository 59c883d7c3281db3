package fluxrelay.rtmp.message;

/** Window Acknowledgement Size (RTMP spec 5.4.4, type 5). */
public record WindowAckSize(long size) implements RtmpMessage {
}
