package fluxrelay.hls.fmp4;

/**
 * One sample of a track run (14496-12 8.8.8).
 *
 * @param duration decode duration, in the track's timescale
 * @param size bytes in the {@code mdat}
 * @param sync a random access point (an IDR/IRAP picture; every AAC frame)
 * @param compositionOffset presentation minus decode time, in the track's timescale
 */
public record Sample(int duration, int size, boolean sync, int compositionOffset) {

    /** sample_flags of a sync sample: depends on no other sample (8.8.3.1, sample_depends_on 2). */
    static final int FLAGS_SYNC = 0x02000000;
    /** sample_flags of other samples: depends on others (sample_depends_on 1), sample_is_non_sync_sample. */
    static final int FLAGS_NON_SYNC = 0x01010000;

    public Sample {
        if (duration < 0 || size < 0) {
            throw new IllegalArgumentException("negative sample duration or size");
        }
    }

    int flags() {
        return sync ? FLAGS_SYNC : FLAGS_NON_SYNC;
    }
}
