/**
 * One RTMP connection after the handshake: the NetConnection/NetStream state machine (RTMP spec 7.2), a thin
 * adapter over the ingest service (publish) and the playback service (play), and FMS-style native bandwidth
 * detection ({@code onBWCheck}/{@code onBWDone}, as Adobe FMS and librtmp do it) whose result the playback
 * service judges.
 *
 * <p>May import {@code rtmp.*}, {@code flv}, {@code media}, {@code ingest}, {@code playback}, {@code stream},
 * {@code egress}, {@code bandwidth}, {@code netty} and {@code rooms}.
 */
package fluxrelay.rtmp.session;
