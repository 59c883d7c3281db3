package fluxrelay.loadtest.bench;

import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.MessageRun;
import fluxrelay.rtmp.chunk.PreChunkedMessage;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out: writing each frame of two seconds of the benchmark stream to {@value #VIEWERS} viewer
 * connections' chunk encoders, either chunked per viewer ({@link RawMessage}) or chunked once and shared
 * ({@link ChunkedBody} / {@link PreChunkedMessage}, what {@code RtmpViewer} does per event loop). Scores are per
 * viewer and frame; run with {@code -prof gc} for bytes allocated per viewer and frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkEncodeBenchmark {

    static final int VIEWERS = 50;

    @Param({"4096"})
    public int chunkSize;

    private List<SyntheticStream.Frame> frames;
    private EmbeddedChannel[] viewers;
    private int next;

    @Setup
    public void setUp() {
        frames = SyntheticStream.twoSeconds(2);
        viewers = new EmbeddedChannel[VIEWERS];
        for (int i = 0; i < VIEWERS; i++) {
            viewers[i] = new EmbeddedChannel(new ChunkEncoder());
            viewers[i].writeOutbound(new RawMessage(2, 1, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
            drain(viewers[i]);
        }
    }

    private SyntheticStream.Frame nextFrame() {
        SyntheticStream.Frame frame = frames.get(next++ % frames.size());
        return frame;
    }

    @Benchmark
    @OperationsPerInvocation(VIEWERS)
    public void chunkedPerViewer() {
        SyntheticStream.Frame frame = nextFrame();
        long ts = frame.timestamp() + 2000L * (next / frames.size());
        int csid = frame.type() == 9 ? 7 : 6;
        for (EmbeddedChannel viewer : viewers) {
            viewer.writeOneOutbound(new RawMessage(csid, frame.type(), ts, 1, frame.body().retainedDuplicate()));
            viewer.flushOutbound();
            drain(viewer);
        }
    }

    @Benchmark
    @OperationsPerInvocation(VIEWERS)
    public void chunkedOncePerLoop() {
        SyntheticStream.Frame frame = nextFrame();
        long ts = frame.timestamp() + 2000L * (next / frames.size());
        int csid = frame.type() == 9 ? 7 : 6;
        ChunkedBody body = ChunkedBody.of(ByteBufAllocator.DEFAULT, frame.body().retainedDuplicate(), chunkSize, csid, ts);
        for (EmbeddedChannel viewer : viewers) {
            viewer.writeOneOutbound(new PreChunkedMessage(csid, frame.type(), ts, 1, body.retain()));
            viewer.flushOutbound();
            drain(viewer);
        }
        body.release();
    }

    /**
     * As {@link #chunkedOncePerLoop}, but each viewer on its own timeline, as {@code RtmpViewer} gives every
     * viewer since timelines start at 0 per viewer: viewer {@code i} is {@code i} seconds behind the stream's clock.
     * The body is still cut once ({@link ChunkedBody#fits}), and the complete encodings are still shared when the
     * first headers carry deltas (RTMP spec 5.3.1.2, types 1 and 2), which are the same on every timeline.
     */
    @Benchmark
    @OperationsPerInvocation(VIEWERS)
    public void chunkedOncePerLoopOwnTimelines() {
        SyntheticStream.Frame frame = nextFrame();
        long ts = frame.timestamp() + 2000L * (next / frames.size()) + 1000L * VIEWERS;
        int csid = frame.type() == 9 ? 7 : 6;
        ChunkedBody body = ChunkedBody.of(ByteBufAllocator.DEFAULT, frame.body().retainedDuplicate(), chunkSize, csid, ts);
        for (int i = 0; i < VIEWERS; i++) {
            long own = ts - 1000L * i;
            if (!body.fits(chunkSize, csid, own)) {
                throw new IllegalStateException("a viewer timeline cannot share the body");
            }
            viewers[i].writeOneOutbound(new PreChunkedMessage(csid, frame.type(), own, 1, body.retain()));
            viewers[i].flushOutbound();
            drain(viewers[i]);
        }
        body.release();
    }

    /** Frames per flush in {@link #mergedRunPerFlush}: about 50 ms of this stream, the wait at 2,000 viewers a loop. */
    static final int FRAMES_PER_FLUSH = 4;

    /**
     * What {@code RtmpViewer} does since run 6: each frame chunked once, every viewer's message joining the loop's
     * {@link MessageRun}, and one slice per viewer at the flush of {@value #FRAMES_PER_FLUSH} frames. Scores are
     * per viewer and frame, as above.
     */
    @Benchmark
    @OperationsPerInvocation(VIEWERS * FRAMES_PER_FLUSH)
    public void mergedRunPerFlush() {
        MessageRun run = new MessageRun(ByteBufAllocator.DEFAULT);
        for (int f = 0; f < FRAMES_PER_FLUSH; f++) {
            SyntheticStream.Frame frame = nextFrame();
            long ts = frame.timestamp() + 2000L * (next / frames.size());
            int csid = frame.type() == 9 ? 7 : 6;
            ChunkedBody body = ChunkedBody.of(ByteBufAllocator.DEFAULT, frame.body().retainedDuplicate(), chunkSize, csid, ts);
            for (EmbeddedChannel viewer : viewers) {
                if (!viewer.pipeline().get(ChunkEncoder.class).writeShared(csid, frame.type(), ts, 1, body, run)) {
                    throw new IllegalStateException("the body does not fit the viewer");
                }
            }
            body.release();
        }
        run.seal();
        for (EmbeddedChannel viewer : viewers) {
            viewer.flushOutbound();
            drain(viewer);
        }
        run.release();
    }

    private static void drain(EmbeddedChannel channel) {
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ((ByteBuf) out).release();
        }
    }

    @TearDown
    public void tearDown() {
        for (EmbeddedChannel viewer : viewers) {
            viewer.finishAndReleaseAll();
        }
    }
}
