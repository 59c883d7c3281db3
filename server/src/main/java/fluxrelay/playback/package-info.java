/**
 * The one way out: admission of a viewer of any kind (RTMP play, HTTP-FLV, HLS and LL-HLS requests, future
 * outputs) to a room's feed: the room exists, the feed has room for one more subscriber, and the room's
 * bandwidth policy is met by the viewer's measurement (a probe token or in-band detection).
 *
 * <p>Viewer URLs of every protocol name a room or one of its inputs the same way ({@link
 * fluxrelay.playback.WatchName}: {@code {room-id}} or {@code {room-id}/{input-id}}).
 *
 * <p>Protocol adapters translate their request into a {@link fluxrelay.playback.PlayRequest} and the
 * {@link fluxrelay.playback.PlayDecision} back into their protocol's answer; they hold no policy.
 * May import {@code stream}, {@code rooms} and {@code bandwidth}.
 */
package fluxrelay.playback;
