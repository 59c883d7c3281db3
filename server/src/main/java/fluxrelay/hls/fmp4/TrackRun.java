package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One track's samples in a movie fragment.
 *
 * @param trackId the track
 * @param baseDecodeTime decode time of the first sample, in the track's timescale ({@code tfdt})
 * @param samples the samples in decode order
 * @param data the samples' bytes back to back; read, not released, by the writer
 */
public record TrackRun(int trackId, long baseDecodeTime, List<Sample> samples, ByteBuf data) {

    public TrackRun {
        samples = List.copyOf(samples);
        long total = samples.stream().mapToLong(Sample::size).sum();
        if (total != data.readableBytes()) {
            throw new IllegalArgumentException("sample sizes add up to " + total + ", data has " + data.readableBytes());
        }
    }
}
