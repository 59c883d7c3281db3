/**
 * A pure MPEG-2 transport stream writer (ISO/IEC 13818-1): 188-byte packets with continuity counters
 * (2.4.3.2), adaptation fields with PCR, random access indicator and stuffing (2.4.3.4), PES packets with
 * PTS/DTS on the 90 kHz clock (2.4.3.6), and the program tables PAT and PMT (2.4.4.3, 2.4.4.8) with their
 * CRC-32 (Annex A); plus the elementary stream framing HLS requires inside TS (RFC 8216 3.2): H.264/H.265
 * access units in Annex B form with an access unit delimiter and the parameter sets before every random
 * access point.
 *
 * <p>Knows nothing of rooms, HLS playlists, config or threads. May import {@code fluxrelay.media} (codec
 * parsing) and Netty buffers only. Buffers handed in are read with absolute indexes and never released here.
 */
package fluxrelay.hls.ts;
