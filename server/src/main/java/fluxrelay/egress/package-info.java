/**
 * Feeding viewer connections from the stream hub over Netty: the per-viewer drop policy applied against
 * the channel's outbound queue, batched flushes per event loop, lag disconnects, and the measuring side of
 * bandwidth checks: delivery-rate sampling of watched viewers once per interval per event loop ({@code
 * DeliveryMonitor}), delivery timing of probes by TCP acknowledgements ({@code DeliveryClock}) and the
 * kernel's TCP_INFO figures on epoll ({@code TcpFigures}, Linux tcp(7)). Shared by RTMP play and HTTP-FLV.
 *
 * <p>May import {@code stream}, {@code media}, {@code bandwidth} and Netty; nothing of RTMP or HTTP.
 */
package fluxrelay.egress;
