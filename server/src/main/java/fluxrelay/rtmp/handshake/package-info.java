/**
 * The RTMP handshake (Adobe RTMP specification 1.0, section 5.2: C0/C1/C2 and S0/S1/S2), server and
 * client side, as one-shot Netty handlers that remove themselves when done.
 *
 * <p>Besides the plain handshake of section 5.2.2 to 5.2.4, both sides speak the unpublished "digest"
 * handshake of Flash Player 9 and FMS 3 that ffmpeg, librtmp (FP9 mode) and Flash clients use: C1 and S1
 * carry an HMAC-SHA256 digest at a position derived from four of their bytes (schema 0 or 1), and C2 and S2
 * end in a signature keyed by the peer's digest. {@link fluxrelay.rtmp.handshake.HandshakeDigest} holds that
 * logic once for both sides.
 *
 * <p>Results leave the handlers only as user events ({@link fluxrelay.rtmp.handshake.HandshakeEvent}) fired
 * to the handlers after them, so a metrics layer can count outcomes without this package knowing of it.
 *
 * <p>Depends on Netty and the JDK only; knows nothing of sessions, config files or metrics.
 */
package fluxrelay.rtmp.handshake;
