/**
 * The HTTP side: listener, router with path safety, health, HTTP-FLV (and later HLS, admin API,
 * metrics).
 *
 * <p>May import {@code stream}, {@code egress}, {@code flv}, {@code media}, {@code rooms}; not RTMP internals.
 */
package fluxrelay.http;
