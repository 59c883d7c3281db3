/**
 * Quality renditions of a room's program (adaptive bitrate): each extra video track of an Enhanced RTMP v2 multitrack
 * publish, with its audio, becomes a rendition with its own hub ({@link fluxrelay.stream.FeedId#rendition}), packaged
 * and played like the program. {@link fluxrelay.renditions.TrackRenditions} taps the program's hub and feeds the
 * rendition hubs on the program's own timeline, so the renditions' frames carry the program's timestamps and their
 * HLS segments can be cut at the same times.
 *
 * <p>Not to be confused with the HLS packaging formats ({@code hls.HlsRenditions}: MPEG-TS and fMP4), which every
 * quality rendition is packaged to like the program. Protocol-neutral; may import {@code stream} and {@code media}.
 */
package fluxrelay.renditions;
