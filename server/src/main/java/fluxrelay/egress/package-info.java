/**
 * Feeding viewer connections from the stream hub over Netty, shared by RTMP play and HTTP-FLV. A
 * {@code ChannelViewer} hands each frame to its protocol and ends once, by one path, whatever the cause
 * ({@code ViewerEnd}); around it, one class per concern: the per-viewer drop policy applied against the channel's
 * outbound queue and the lag disconnect ({@code LagGuard}), batched flushes per event loop ({@code FlushBatcher},
 * {@code FlushPolicy}) and the time to first frame ({@code FirstFrameTimer}). The measuring side of bandwidth
 * checks lives here too: delivery sampling of watched viewers ({@code BandwidthSampler}) once per interval per event
 * loop ({@code DeliveryMonitor}), delivery timing of probes by TCP acknowledgements ({@code DeliveryClock}) and the
 * kernel's TCP_INFO figures on epoll ({@code TcpFigures}, Linux tcp(7)). A viewer of a program that receives its
 * renditions beside it as numbered tracks (Enhanced RTMP v2 multitrack) follows their hubs with {@code RenditionTracks}.
 *
 * <p>Buffers: a viewer owns one reference to each frame the hub hands it and either passes it to its protocol's
 * {@code write} (which passes it on to the channel) or releases it.
 *
 * <p>May import {@code stream}, {@code media}, {@code bandwidth}, {@code netty} and Netty; nothing of RTMP or HTTP.
 */
package fluxrelay.egress;
