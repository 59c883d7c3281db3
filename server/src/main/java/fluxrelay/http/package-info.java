/**
 * The HTTP side: listener, router with path safety, health, metrics, the admin API, HTTP-FLV, HLS and
 * low-latency HLS serving, and the bandwidth probe ({@code /bwcheck/{room-id}}, its JSON verdict and token;
 * RFC 9110 for the status codes).
 *
 * <p>May import {@code stream}, {@code egress}, {@code bandwidth}, {@code flv}, {@code media}, {@code rooms},
 * {@code hls}; not RTMP internals.
 */
package fluxrelay.http;
