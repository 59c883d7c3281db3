package fluxrelay.hls;

/**
 * Lines up the segments of a room's quality renditions with its program's: the program's segmenter cuts by its own
 * rules and notes each cut here; a rendition's segmenter cuts at its keyframe with the presentation time of one of the
 * program's cuts (presentation, not decode, time: a rendition re-encoded without B-frames by the server's ladder shows its
 * keyframe when the program does, while their decode times differ by the program's composition offset) (renditions share the program's timeline, so an encoder that makes its GOPs at the same times, as FFmpeg's and
 * OBS's multitrack outputs do, gives segments that start at the same times in every rendition).
 *
 * <p>When the program has not reached a rendition's keyframe yet (its packager runs a little behind), the rendition
 * cuts by its own rule, which gives the same cut for aligned GOPs. When the encoder's GOPs are not aligned, a
 * rendition's segment that finds no cut of the program at any of its keyframes is cut at its own keyframe once it is
 * {@value #UNALIGNED_TARGETS} target durations long: it plays, but players switching to it may see a short jump.
 *
 * <p>One per room and packaging format; the packagers of a room run on one thread, but the few fields are guarded
 * anyway so a packager restarted elsewhere stays correct.
 */
final class AlignedCuts {

    /** A rendition's segment with no matching cut of the program is cut at its own keyframe past this many targets. */
    static final double UNALIGNED_TARGETS = 1.5;
    /**
     * A rendition's keyframe this close to a cut of the program is the same picture time: the hubs hold timestamps from
     * going back, so a frame interleaved a little out of order may be moved by a few ms in one hub and not the other.
     */
    static final long MATCH_TOLERANCE_MS = 20;
    /** Cuts remembered: far more than a rendition's packager can lag the program's. */
    private static final int REMEMBERED = 64;

    private final long[] cuts = new long[REMEMBERED];
    private int count;
    private int next;
    /** The latest video timestamp the program's segmenter saw, or -1. */
    private long seen = -1;

    /** The program's segmenter began a segment at {@code ts}. */
    synchronized void cut(long ts) {
        cuts[next] = ts;
        next = (next + 1) % REMEMBERED;
        count = Math.min(count + 1, REMEMBERED);
    }

    /** The program's segmenter took a video frame at {@code ts}. */
    synchronized void seen(long ts) {
        seen = Math.max(seen, ts);
    }

    /** A new publish of the program: its earlier cuts mean nothing to the next one. */
    synchronized void reset() {
        count = 0;
        next = 0;
        seen = -1;
    }

    /**
     * Whether a rendition cuts at its keyframe at {@code ts}.
     *
     * @param segmentMs how long the rendition's open segment is at {@code ts}
     * @param byDuration what the rendition's own rule says (used while the program has not reached {@code ts})
     * @param targetMs the target duration
     */
    synchronized boolean cutHere(long ts, long segmentMs, boolean byDuration, long targetMs) {
        for (int i = 0; i < count; i++) {
            if (Math.abs(cuts[i] - ts) <= MATCH_TOLERANCE_MS) {
                return true;
            }
        }
        if (seen < ts) {
            return byDuration;
        }
        return segmentMs >= UNALIGNED_TARGETS * targetMs;
    }
}
