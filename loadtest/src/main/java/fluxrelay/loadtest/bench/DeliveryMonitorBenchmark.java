package fluxrelay.loadtest.bench;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.TcpFigures;
import fluxrelay.egress.ViewerEnd;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.media.MediaFrame;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
 * The CPU cost of during-playback bandwidth monitoring: one sampling pass over every monitored viewer of an
 * event loop (what the per-loop timer runs once per interval), and one TCP_INFO read on a real epoll socket
 * (made only for viewers found backlogged). The pass time at 1,000 viewers over the 1 s interval is the share
 * of one core the monitor takes.
 *
 * <p>Run: {@code java -cp <loadtest classpath> org.openjdk.jmh.Main DeliveryMonitorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeliveryMonitorBenchmark {

    @Param({"1000", "10000"})
    int viewers;

    private Viewer[] watched;
    private final TcpFigures figures = new TcpFigures();
    private EventLoopGroup group;
    private Channel server;
    private Channel client;

    /** A viewer that writes nothing: only its monitoring is measured. */
    static final class Viewer extends ChannelViewer {
        Viewer(Channel channel, BandwidthRegistry registry, int i) {
            super(channel, new ViewerLimits(4 << 20, Duration.ofSeconds(10), Duration.ofMillis(10)),
                    new EgressCounters("bench"), registry.watch("room", "viewer-" + i), new Monitoring(TimeUnit.SECONDS.toNanos(1), 0));
        }

        @Override
        public String protocol() {
            return "bench";
        }

        @Override
        protected void started(StreamStart start) {
        }

        @Override
        protected void write(MediaFrame frame) {
            frame.release();
        }

        @Override
        protected void stopped(StreamStop reason) {
        }

        @Override
        protected void flagged(BandwidthVerdict verdict) {
        }

        @Override
        protected void farewell(ViewerEnd end) {
        }

        @Override
        protected void departed(ViewerEnd end) {
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        BandwidthSettings settings = new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN), false,
                new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 32),
                new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 0), Duration.ofMinutes(2),
                "bwtoken", 20);
        BandwidthRegistry registry = new BandwidthRegistry(settings, Map.of(), ProbeTokens.randomSecret(), Clock.systemUTC());
        watched = new Viewer[viewers];
        for (int i = 0; i < viewers; i++) {
            watched[i] = new Viewer(new EmbeddedChannel(), registry, i);
        }
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter()).bind("127.0.0.1", 0).sync().channel();
            client = new Bootstrap().group(group).channel(EpollSocketChannel.class).handler(new ChannelInboundHandlerAdapter())
                    .connect(server.localAddress()).sync().channel();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (group != null) {
            client.close().syncUninterruptibly();
            server.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** One monitoring pass: every viewer's counters read and judged, as the per-loop timer does each interval. */
    @Benchmark
    public long monitorPass() {
        long now = System.nanoTime();
        for (Viewer viewer : watched) {
            viewer.sampleDelivery(now, figures);
        }
        return now;
    }

    /** One TCP_INFO read on a real epoll socket (a backlogged viewer's extra cost per interval). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long tcpInfoRead() {
        if (client == null || !figures.read(client)) {
            return -1;
        }
        return figures.rttMicros();
    }
}
