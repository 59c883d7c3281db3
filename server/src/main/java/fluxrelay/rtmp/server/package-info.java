/**
 * The RTMP listener: bootstrap, the per-connection pipeline (one handler per layer), socket options and
 * write buffer watermarks.
 *
 * <p>May import {@code rtmp.*} and Netty; built by the composition root.
 */
package fluxrelay.rtmp.server;
