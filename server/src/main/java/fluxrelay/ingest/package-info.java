/**
 * The one way in: admission of a publish from any protocol (the room binding, the attempt limiter, a platform's
 * decision, takeover of a stale publisher) and the {@link fluxrelay.ingest.Publication} that carries an admitted
 * publisher's frames into its feed's hub under the ingest policy, with its statistics and activity events.
 *
 * <p>Protocol adapters (RTMP today; SRT, WHIP or an origin pull later) demux their wire format into
 * {@link fluxrelay.media.MediaFrame}s and call {@link fluxrelay.ingest.IngestService#begin}; they hold no policy.
 * May import {@code stream}, {@code rooms} and {@code media}.
 */
package fluxrelay.ingest;
