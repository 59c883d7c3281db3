/**
 * The HTTP side: listener, router with path safety, health, HTTP-FLV, HLS (and later the admin API,
 * metrics).
 *
 * <p>May import {@code stream}, {@code egress}, {@code flv}, {@code media}, {@code rooms}, {@code hls}; not RTMP internals.
 */
package fluxrelay.http;
