/**
 * Recording of live sessions for replay: a hub subscriber per room writing a fragmented MP4 as the media arrives
 * (playable up to its last fragment after a crash), finalized at the session's end into a fast-start MP4 with
 * its index first; the catalogue of recordings, their retention and the free-space floor; a room's live DVR window,
 * an HLS playlist over the fragments of the recording being written (RFC 8216 6.2.2).
 *
 * <p>Protocol-neutral: imports the hub ({@code stream}), media frames and codec configs ({@code media},
 * {@code media.codec}) and the pure MP4 box writers ({@code hls.fmp4}); never HTTP, RTMP, HLS packaging or config.
 * Every file write runs on the recording threads, never on an event loop.
 */
package fluxrelay.recording;
