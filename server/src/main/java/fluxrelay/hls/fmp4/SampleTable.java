package fluxrelay.hls.fmp4;

import java.util.Arrays;

/**
 * The samples of one track of a progressive (non-fragmented) MP4, in decode order, grouped in chunks: what its
 * {@code stbl} lists (14496-12 8.5 to 8.7). Appended to as the samples are read; not thread-safe.
 */
public final class SampleTable {

    private int count;
    private int[] durations = new int[1024];
    private int[] sizes = new int[1024];
    private int[] compositionOffsets = new int[1024];
    private int syncCount;
    private int[] syncNumbers = new int[256];
    private int chunkCount;
    private long[] chunkOffsets = new long[256];
    private int[] chunkFirstSample = new int[256];
    private long totalDuration;
    private long totalBytes;
    private long presentationEnd;

    /** Starts a chunk: the samples added next lie back to back from {@code offset}, counted from the first media byte. */
    public void beginChunk(long offset) {
        if (chunkCount == chunkOffsets.length) {
            chunkOffsets = Arrays.copyOf(chunkOffsets, chunkCount * 2);
            chunkFirstSample = Arrays.copyOf(chunkFirstSample, chunkCount * 2);
        }
        chunkOffsets[chunkCount] = offset;
        chunkFirstSample[chunkCount] = count;
        chunkCount++;
    }

    /** Adds a sample to the current chunk. */
    public void add(int duration, int size, boolean sync, int compositionOffset) {
        if (chunkCount == 0) {
            throw new IllegalStateException("no chunk begun");
        }
        if (duration < 0 || size < 0) {
            throw new IllegalArgumentException("negative sample duration or size");
        }
        if (count == durations.length) {
            durations = Arrays.copyOf(durations, count * 2);
            sizes = Arrays.copyOf(sizes, count * 2);
            compositionOffsets = Arrays.copyOf(compositionOffsets, count * 2);
        }
        durations[count] = duration;
        sizes[count] = size;
        compositionOffsets[count] = compositionOffset;
        if (sync) {
            if (syncCount == syncNumbers.length) {
                syncNumbers = Arrays.copyOf(syncNumbers, syncCount * 2);
            }
            syncNumbers[syncCount++] = count + 1;
        }
        count++;
        presentationEnd = Math.max(presentationEnd, totalDuration + compositionOffset + duration);
        totalDuration += duration;
        totalBytes += size;
    }

    /**
     * Lengthens the last sample by {@code extra} (media missing after it: the next sample keeps its time).
     *
     * @throws IllegalStateException when there is no sample yet
     */
    public void extendLast(long extra) {
        if (count == 0) {
            throw new IllegalStateException("no sample to extend");
        }
        long duration = durations[count - 1] + extra;
        if (duration > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sample duration too long: " + duration);
        }
        durations[count - 1] = (int) duration;
        totalDuration += extra;
        presentationEnd = Math.max(presentationEnd, totalDuration + compositionOffsets[count - 1]);
    }

    /** Samples added. */
    public int sampleCount() {
        return count;
    }

    /** Sum of the sample durations, in the track's timescale. */
    public long duration() {
        return totalDuration;
    }

    /** The end of the last picture presented, in the track's timescale: the latest presentation time plus its duration. */
    public long presentationEnd() {
        return presentationEnd;
    }

    /** Sum of the sample sizes. */
    public long bytes() {
        return totalBytes;
    }

    /** The largest chunk offset, for choosing 32- or 64-bit offsets. */
    long lastChunkOffset() {
        return chunkCount == 0 ? 0 : chunkOffsets[chunkCount - 1];
    }

    int chunkCount() {
        return chunkCount;
    }

    long chunkOffset(int chunk) {
        return chunkOffsets[chunk];
    }

    /** Samples in a chunk. */
    int chunkSamples(int chunk) {
        int end = chunk + 1 < chunkCount ? chunkFirstSample[chunk + 1] : count;
        return end - chunkFirstSample[chunk];
    }

    int durationAt(int sample) {
        return durations[sample];
    }

    int sizeAt(int sample) {
        return sizes[sample];
    }

    /** The composition offset of a sample (presentation minus decode time). */
    public int compositionOffset(int sample) {
        if (sample < 0 || sample >= count) {
            throw new IndexOutOfBoundsException("no sample " + sample + " of " + count);
        }
        return compositionOffsets[sample];
    }

    int compositionOffsetAt(int sample) {
        return compositionOffsets[sample];
    }

    /** True when every sample is a sync sample ({@code stss} is then left out, 8.6.2.1). */
    boolean allSync() {
        return syncCount == count;
    }

    int syncCount() {
        return syncCount;
    }

    int syncNumber(int index) {
        return syncNumbers[index];
    }
}
