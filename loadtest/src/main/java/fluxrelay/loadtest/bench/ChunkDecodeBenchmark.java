package fluxrelay.loadtest.bench;

import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Ingest: reassembling two seconds of the benchmark stream (~0.5 MB, chunk size 4096, as OBS sends) into
 * messages with {@link ChunkDecoder}. One operation is the whole two seconds; MB/s is 0.5 MB x ops/s.
 * Run with {@code -prof gc} for bytes allocated per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkDecodeBenchmark {

    @Param({"4096", "128"})
    public int chunkSize;

    private ByteBuf wire;
    private EmbeddedChannel decoder;

    @Setup(Level.Trial)
    public void setUp() {
        List<SyntheticStream.Frame> frames = SyntheticStream.twoSeconds(1);
        EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
        ByteBuf setChunkSize = Unpooled.buffer(4).writeInt(chunkSize);
        encoder.writeOutbound(new RawMessage(2, 1, 0, 0, setChunkSize));
        for (SyntheticStream.Frame frame : frames) {
            encoder.writeOutbound(new RawMessage(frame.type() == 9 ? 7 : 6, frame.type(), frame.timestamp(), 1,
                    frame.body().retainedDuplicate()));
        }
        wire = Unpooled.directBuffer();
        for (Object out = encoder.readOutbound(); out != null; out = encoder.readOutbound()) {
            ByteBuf buf = (ByteBuf) out;
            wire.writeBytes(buf);
            buf.release();
        }
        encoder.finishAndReleaseAll();
    }

    @Setup(Level.Iteration)
    public void newConnection() {
        decoder = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS));
    }

    @Benchmark
    public int decodeTwoSeconds() {
        decoder.writeInbound(wire.retainedDuplicate());
        int messages = 0;
        for (Object msg = decoder.readInbound(); msg != null; msg = decoder.readInbound()) {
            messages++;
            ReferenceCountUtil.release(msg);
        }
        // The stream restarts on the same connection: its first header is format 0 again.
        return messages;
    }

    @TearDown(Level.Iteration)
    public void closeConnection() {
        decoder.finishAndReleaseAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
    }
}
