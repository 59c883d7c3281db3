/**
 * RTMP messages by meaning: protocol control (RTMP spec 5.4), user control (6.2, 7.1.7), commands, data,
 * audio, video and aggregate messages (7.1); the decoder and encoder between them and whole chunk-stream
 * messages.
 *
 * <p>Pure codec: may import {@code rtmp.chunk}, {@code rtmp.amf} and Netty; nothing of rooms or sessions.
 */
package fluxrelay.rtmp.message;
