/**
 * The HTTP side: listener, router with path safety, health, HTTP-FLV, the bandwidth probe ({@code
 * /bwcheck/{room-id}}, its JSON verdict and token; RFC 9110 for the status codes) (and later HLS, admin API,
 * metrics).
 *
 * <p>May import {@code stream}, {@code egress}, {@code bandwidth}, {@code flv}, {@code media}, {@code rooms};
 * not RTMP internals.
 */
package fluxrelay.http;
