/**
 * NetConnection and NetStream commands (RTMP spec 7.2): request records read from command messages and
 * the replies ({@code _result}, {@code _error}, {@code onStatus}, {@code onFCPublish}) shaped as FMS sends
 * them. No I/O.
 *
 * <p>May import {@code rtmp.message}, {@code rtmp.chunk} (for raw message bodies) and {@code rtmp.amf}.
 */
package fluxrelay.rtmp.command;
