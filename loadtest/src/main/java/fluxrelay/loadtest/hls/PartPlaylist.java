package fluxrelay.loadtest.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * A Low-Latency HLS media playlist as a low-latency player reads it (RFC 8216bis 4.4.3.7 to 4.4.5.3): the server's
 * control (blocking reload, part hold-back), the part target, and every listed part with the segment it belongs to,
 * its byte range, initialization segment and program date-time.
 *
 * @param targetDurationSeconds EXT-X-TARGETDURATION
 * @param mediaSequence EXT-X-MEDIA-SEQUENCE of the first segment
 * @param partTargetSeconds EXT-X-PART-INF PART-TARGET, NaN when absent
 * @param canBlockReload EXT-X-SERVER-CONTROL CAN-BLOCK-RELOAD=YES
 * @param partHoldBackSeconds EXT-X-SERVER-CONTROL PART-HOLD-BACK, NaN when absent
 * @param parts the listed parts in order (of complete segments and of the segment being written)
 * @param openSequence media sequence number of the segment after the last complete one (the one being written)
 * @param preloadHint URI of EXT-X-PRELOAD-HINT TYPE=PART, or null
 * @param ended EXT-X-ENDLIST present
 */
public record PartPlaylist(int targetDurationSeconds, long mediaSequence, double partTargetSeconds, boolean canBlockReload,
                           double partHoldBackSeconds, List<Part> parts, long openSequence, String preloadHint, boolean ended) {

    public PartPlaylist {
        parts = List.copyOf(parts);
    }

    /**
     * One EXT-X-PART.
     *
     * @param msn media sequence number of its segment
     * @param index its place in the segment, from 0
     * @param uri as written (relative to the playlist)
     * @param durationSeconds DURATION
     * @param independent INDEPENDENT=YES
     * @param offset first byte of BYTERANGE, or -1 when the part is the whole resource
     * @param length byte count of BYTERANGE, or -1
     * @param map URI of the EXT-X-MAP in force, or null
     * @param programDateTimeMillis wall-clock time of its first sample (its segment's EXT-X-PROGRAM-DATE-TIME plus the
     *     parts before it), or -1 when the playlist has none
     */
    public record Part(long msn, int index, String uri, double durationSeconds, boolean independent, long offset, long length,
                       String map, long programDateTimeMillis) {

        /** When the part's last sample was captured, by program date-time, or -1. */
        public long availableAtMillis() {
            return programDateTimeMillis < 0 ? -1 : programDateTimeMillis + Math.round(durationSeconds * 1000);
        }

        /** Whether this part comes after {@code msn}/{@code index}. */
        public boolean after(long otherMsn, int otherIndex) {
            return msn > otherMsn || msn == otherMsn && index > otherIndex;
        }
    }

    /** The part a blocking reload asks for ({@code _HLS_msn}, {@code _HLS_part}). */
    public record PartRef(long msn, int part) {
    }

    /** The newest listed part, or null. */
    public Part last() {
        return parts.isEmpty() ? null : parts.get(parts.size() - 1);
    }

    /**
     * The part after the newest listed one (RFC 8216bis 6.2.5.2): the next of the same segment while that segment is
     * being written, the first of the next segment once it is complete.
     */
    public PartRef next() {
        Part last = last();
        if (last == null || last.msn() < openSequence) {
            return new PartRef(openSequence, 0);
        }
        return new PartRef(last.msn(), last.index() + 1);
    }

    /** Listed parts after {@code msn}/{@code index}, in order. */
    public List<Part> after(long msn, int index) {
        List<Part> out = new ArrayList<>();
        for (Part part : parts) {
            if (part.after(msn, index)) {
                out.add(part);
            }
        }
        return out;
    }
}
