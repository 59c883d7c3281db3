package fluxrelay.loadtest.bench;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.media.MediaFrame;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingest: reading two seconds of the benchmark stream as an FLV file ({@link FlvReader}) and demuxing
 * every tag into a media frame (codec, keyframe, composition time; FLV spec E.4). One operation is the
 * whole two seconds (~0.5 MB); run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlvDemuxBenchmark {

    private ByteBuf file;

    @Setup
    public void setUp() {
        file = SyntheticStream.flvFile(SyntheticStream.twoSeconds(3));
    }

    @Benchmark
    public long demuxTwoSeconds() {
        FlvReader reader = new FlvReader(file);
        long sum = 0;
        for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
            MediaFrame frame = tag.toFrame();
            sum += frame.timestamp() + frame.dataOffset();
            frame.release();
        }
        return sum;
    }

    @TearDown
    public void tearDown() {
        file.release();
    }
}
