/**
 * One RTMP connection after the handshake: the NetConnection/NetStream state machine (RTMP spec 7.2), its
 * ingest (publish) and playback (play) adapters to the stream hub, FMS-style native bandwidth detection
 * ({@code onBWCheck}/{@code onBWDone}, as Adobe FMS and librtmp do it) and the play gate of rooms' bandwidth
 * policies.
 *
 * <p>May import {@code rtmp.*}, {@code flv}, {@code media}, {@code stream} (through {@link
 * fluxrelay.rtmp.session.StreamDirectory}), {@code egress}, {@code bandwidth} and {@code rooms}.
 */
package fluxrelay.rtmp.session;
