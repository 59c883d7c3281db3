/**
 * A pure fragmented MP4 writer for CMAF/HLS (ISO/IEC 14496-12 ISO base media file format, 14496-15 for the
 * {@code avcC}/{@code hvcC} sample entries, 14496-14 for {@code esds}): the initialization segment
 * ({@code ftyp} and a {@code moov} with empty sample tables and {@code mvex/trex}, 8.8) and movie fragments
 * ({@code moof} with {@code mfhd}, and per track {@code tfhd}, {@code tfdt}, {@code trun}, followed by one
 * {@code mdat}, 8.8.4 to 8.8.12); and the header of a progressive, fast-start MP4 ({@code ftyp} and a {@code moov}
 * with full sample tables and an edit list, 8.5 to 8.7 and 8.6.6), which recordings are finalized into.
 *
 * <p>Knows nothing of rooms, HLS playlists, config or threads; imports Netty buffers only. Times are in
 * each track's timescale, chosen by the caller. Buffers handed in are read with absolute indexes and never
 * released here.
 */
package fluxrelay.hls.fmp4;
