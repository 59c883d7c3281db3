package fluxrelay.rtmp.message;

/** Acknowledgement (RTMP spec 5.4.3, type 3): bytes received so far, modulo 2^32. */
public record Acknowledgement(long sequenceNumber) implements RtmpMessage {
}
