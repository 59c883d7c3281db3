package fluxrelay.hls;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.loadtest.bench.SyntheticStream;
import fluxrelay.media.MediaFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HLS packaging: each frame of two seconds of the benchmark stream through a room's {@link Segmenter} and
 * container writer, as {@code RoomPackager.onFrame} feeds them on the packaging thread: {@code ts} is the
 * MPEG-TS rendition ({@link TsWriter}: AVCC to Annex B, PES, 188-byte packets, ADTS), {@code fmp4} the
 * Low-Latency fMP4 rendition ({@link Fmp4Writer}, with 333 ms parts). One operation is the whole two seconds
 * (~0.5 MB of FLV payload, one 2 s segment cut per operation, released at once); run with {@code -prof gc}
 * for bytes allocated per operation.
 *
 * <p>In the server's {@code fluxrelay.hls} package because the segmenter and the writers are package-private;
 * it touches nothing else there. Frames are re-stamped per operation with {@link MediaFrame#withTimestamp}
 * (one frame record each, as the hub's per-subscriber view costs on the real path); playlists and the segment
 * store are not included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HlsPackagingBenchmark {

    private static final long SPAN_MS = 2000;

    @Param({"ts", "fmp4"})
    public String container;

    private ByteBuf file;
    private final List<MediaFrame> headers = new ArrayList<>();
    private final List<MediaFrame> frames = new ArrayList<>();
    private Segmenter segmenter;
    private long offset;
    private long segmentBytes;
    private long segments;

    @Setup
    public void setUp() {
        file = SyntheticStream.decodableFlv(4);
        FlvReader reader = new FlvReader(file);
        for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
            MediaFrame frame = tag.toFrame();
            boolean header = frame instanceof fluxrelay.media.VideoFrame v ? v.isSequenceHeader()
                    : frame instanceof fluxrelay.media.AudioFrame a && a.sequenceHeader();
            (header ? headers : frames).add(frame);
        }
        boolean fmp4 = container.equals("fmp4");
        PackagerSettings settings = new PackagerSettings(Duration.ofSeconds(2), 6, 32 << 20, 1, fmp4,
                PackagerSettings.DEFAULT_PART_TARGET);
        ContainerWriter writer = fmp4 ? new Fmp4Writer(ByteBufAllocator.DEFAULT) : new TsWriter(ByteBufAllocator.DEFAULT);
        segmenter = new Segmenter("bench", settings, writer, ByteBufAllocator.DEFAULT, "b", System::currentTimeMillis,
                new Segmenter.Output() {
                    @Override
                    public void segment(Segment segment, boolean independent) {
                        segmentBytes += segment.info().bytes();
                        segments++;
                        segment.release();
                    }

                    @Override
                    public void ended() {
                    }
                }, fmp4 ? settings.partTarget().toMillis() : 0);
        segmenter.start();
        headers.forEach(segmenter::frame);
        packageTwoSeconds();
        if (segmenter.skipped() > 0) {
            throw new IllegalStateException(segmenter.skipped() + " synthetic frames were not packaged");
        }
    }

    @Benchmark
    public long packageTwoSeconds() {
        for (MediaFrame frame : frames) {
            segmenter.frame(frame.withTimestamp(frame.timestamp() + offset));
        }
        offset += SPAN_MS;
        return segmentBytes;
    }

    @TearDown
    public void tearDown() {
        segmenter.stop();
        segmenter.close();
        System.out.printf("%n%s: %d segments, %d bytes each on average, from %d bytes of FLV payload per 2 s%n",
                container, segments, segments == 0 ? 0 : segmentBytes / segments,
                frames.stream().mapToLong(f -> f.payload().readableBytes()).sum());
        headers.forEach(MediaFrame::release);
        frames.forEach(MediaFrame::release);
        file.release();
    }
}
