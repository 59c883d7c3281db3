/**
 * One RTMP connection after the handshake: the NetConnection/NetStream state machine (RTMP spec 7.2) and
 * its ingest (publish) and playback (play) adapters to the stream hub.
 *
 * <p>May import {@code rtmp.*}, {@code flv}, {@code media}, {@code stream} (through {@link
 * fluxrelay.rtmp.session.StreamDirectory}), {@code egress} and {@code rooms}.
 */
package fluxrelay.rtmp.session;
