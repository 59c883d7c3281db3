/**
 * The server-side rendition ladder (adaptive bitrate for single-quality encoders): for a room that declares rungs, one
 * supervised ffmpeg process per live room reads the program over loopback RTMP (an internal signed play that keeps the
 * program's timestamps and is never counted as a viewer) and publishes each rung back over loopback RTMP into its
 * rendition hub (an internal signed publish whose timestamps the hub keeps), as nginx-rtmp's {@code exec} and SRS's
 * transcoder do. Processes are started, restarted with a backoff, logged and measured here, on their own thread.
 *
 * <p>May import {@code stream}, {@code rooms}, {@code media} and the internal admission interfaces of {@code playback}
 * and {@code ingest}; nothing imports it but the composition root, {@code metrics} and {@code admin}'s views.
 */
package fluxrelay.ladder;
