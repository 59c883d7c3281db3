package fluxrelay.loadtest.run;

import fluxrelay.loadtest.flv.HttpFlvPlayer;
import fluxrelay.loadtest.hls.HlsPlayer;
import fluxrelay.loadtest.hls.LowLatencyHlsPlayer;
import fluxrelay.loadtest.metrics.KindMetrics;
import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.metrics.WindowSample;
import fluxrelay.loadtest.publisher.PublisherStats;
import fluxrelay.loadtest.publisher.RtmpPublisher;
import fluxrelay.loadtest.rtmp.RtmpClientPipeline;
import fluxrelay.loadtest.rtmp.RtmpPlayer;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import fluxrelay.loadtest.source.StreamSource;
import fluxrelay.loadtest.stamp.LoadClock;
import fluxrelay.rtmp.chunk.ChunkLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.concurrent.EventExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The load generator's connections: a fixed set of event loops (native epoll when available), viewers
 * spread over them round-robin and tracked per loop, and the publishers. Everything about one viewer
 * happens on its loop, including the window snapshots the reporter asks for, so no viewer state is shared
 * between threads.
 */
public final class Fleet implements AutoCloseable {

    /** One connected simulated client. */
    private record Viewer(ViewerStats stats, Channel channel, Runnable closing) {
    }

    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final Map<EventLoop, List<Viewer>> shards = new HashMap<>();
    private final Bootstrap base;
    private final ChunkLimits chunkLimits = ChunkLimits.DEFAULTS;
    private final long stallNanos;
    private final boolean llhlsPoll;
    private final List<Channel> publishers = new ArrayList<>();
    private final List<RtmpPublisher> publisherHandlers = new ArrayList<>();
    private int nextLoop;

    public Fleet(int threads, Duration connectTimeout, Duration stall) {
        this(threads, connectTimeout, stall, false);
    }

    /** {@code llhlsPoll}: LL-HLS viewers poll their playlist instead of holding blocking reloads. */
    public Fleet(int threads, Duration connectTimeout, Duration stall, boolean llhlsPoll) {
        this.llhlsPoll = llhlsPoll;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        group = new MultiThreadIoEventLoopGroup(threads, io);
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            loops.add(loop);
            shards.put(loop, new ArrayList<>());
        }
        base = new Bootstrap().channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis());
        stallNanos = stall.toNanos();
    }

    /** Starts one publisher; its stats show when the server accepted it. */
    public PublisherStats publish(RtmpUrl url, StreamSource source, boolean stamp) {
        PublisherStats stats = new PublisherStats();
        RtmpPublisher handler = new RtmpPublisher(url, source, 4096, stamp, stats);
        ChannelFuture future = connect(url.host(), url.port(), ch -> RtmpClientPipeline.install(ch.pipeline(), chunkLimits, handler));
        publisherHandlers.add(handler);
        publishers.add(future.channel());
        future.addListener(f -> {
            if (!f.isSuccess()) {
                stats.fail("connect: " + f.cause());
            }
        });
        return stats;
    }

    /** Starts one viewer of {@code kind} playing {@code url} (an {@link RtmpUrl} or a {@link URI}). */
    public void spawn(ViewerKind kind, Object url, KindMetrics metrics) {
        long now = System.nanoTime();
        ViewerStats stats = new ViewerStats(kind, metrics, stallNanos, kind != ViewerKind.HLS, now, LoadClock.microsAt(now));
        ChannelFuture future;
        Runnable closing;
        switch (kind) {
            case RTMP -> {
                RtmpUrl rtmp = (RtmpUrl) url;
                RtmpPlayer player = new RtmpPlayer(rtmp, stats);
                closing = player::closing;
                future = connect(rtmp.host(), rtmp.port(), ch -> RtmpClientPipeline.install(ch.pipeline(), chunkLimits, player));
            }
            case HTTP_FLV -> {
                URI uri = (URI) url;
                HttpFlvPlayer player = new HttpFlvPlayer(uri, stats);
                closing = player::closing;
                future = connect(uri.getHost(), port(uri), ch -> http(ch, player));
            }
            case HLS -> {
                URI uri = (URI) url;
                HlsPlayer player = new HlsPlayer(uri, stats);
                closing = player::closing;
                future = connect(uri.getHost(), port(uri), ch -> http(ch, player));
            }
            case LL_HLS -> {
                URI uri = (URI) url;
                LowLatencyHlsPlayer player = new LowLatencyHlsPlayer(uri, !llhlsPoll, stats);
                closing = player::closing;
                future = connect(uri.getHost(), port(uri), ch -> http(ch, player));
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        Viewer viewer = new Viewer(stats, future.channel(), closing);
        EventLoop loop = future.channel().eventLoop();
        loop.execute(() -> shards.get(loop).add(viewer));
        future.addListener(f -> {
            if (!f.isSuccess()) {
                stats.fail("connect: " + f.cause().getMessage());
            }
        });
    }

    private static void http(SocketChannel ch, ChannelHandler player) {
        ch.pipeline().addLast(new HttpClientCodec()).addLast(player);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : 80;
    }

    private ChannelFuture connect(String host, int port, Consumer<SocketChannel> init) {
        EventLoop loop = loops.get(nextLoop++ % loops.size());
        return base.clone(loop).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                init.accept(ch);
            }
        }).connect(host, port);
    }

    /** Starts a measurement window on every viewer. */
    public void startWindow() {
        long now = System.nanoTime();
        onEveryLoop(viewers -> {
            viewers.forEach(v -> v.stats().startWindow(now));
            return null;
        });
    }

    /** Every viewer's window so far. */
    public List<WindowSample> sampleWindow() {
        long now = System.nanoTime();
        List<WindowSample> all = new ArrayList<>();
        for (List<WindowSample> part : onEveryLoop(viewers -> viewers.stream().map(v -> v.stats().sampleWindow(now)).toList())) {
            all.addAll(part);
        }
        return all;
    }

    /**
     * Viewers per kind and state, and bytes received so far.
     *
     * @param counts {@code [kind ordinal][state ordinal]}
     * @param bytes payload bytes received by all viewers
     */
    public record Census(int[][] counts, long bytes) {

        /** Viewers of {@code kind} in {@code state}. */
        public int count(ViewerKind kind, ViewerStats.State state) {
            return counts[kind.ordinal()][state.ordinal()];
        }
    }

    /** Counts viewers by kind and state. */
    public Census census() {
        int[][] counts = new int[ViewerKind.values().length][ViewerStats.State.values().length];
        long bytes = 0;
        for (Census part : onEveryLoop(viewers -> {
            int[][] local = new int[ViewerKind.values().length][ViewerStats.State.values().length];
            long sum = 0;
            for (Viewer v : viewers) {
                local[v.stats().kind().ordinal()][v.stats().state().ordinal()]++;
                sum += v.stats().bytes();
            }
            return new Census(local, sum);
        })) {
            for (int k = 0; k < counts.length; k++) {
                for (int s = 0; s < counts[k].length; s++) {
                    counts[k][s] += part.counts()[k][s];
                }
            }
            bytes += part.bytes();
        }
        return new Census(counts, bytes);
    }

    /** The most frequent failure reason among failed viewers, or null. */
    public String commonFailure() {
        Map<String, Integer> reasons = new HashMap<>();
        for (List<String> part : onEveryLoop(viewers -> viewers.stream().map(v -> v.stats().failure())
                .filter(r -> r != null).toList())) {
            part.forEach(r -> reasons.merge(r, 1, Integer::sum));
        }
        return reasons.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> e.getKey() + " (" + e.getValue() + ")")
                .orElse(null);
    }

    private <T> List<T> onEveryLoop(java.util.function.Function<List<Viewer>, T> task) {
        List<Future<T>> futures = new ArrayList<>();
        for (EventLoop loop : loops) {
            futures.add(loop.submit(() -> task.apply(shards.get(loop))));
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            try {
                results.add(future.get(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("event loop task failed", e);
            }
        }
        return results;
    }

    /** Closes every viewer (publishers stay); returns how many were closed. */
    public int closeViewers() {
        int closed = 0;
        for (Integer n : onEveryLoop(viewers -> {
            int count = viewers.size();
            for (Viewer viewer : viewers) {
                viewer.closing().run();
                viewer.channel().close();
            }
            viewers.clear();
            return count;
        })) {
            closed += n;
        }
        return closed;
    }

    /** Closes every viewer and publisher and stops the event loops. */
    @Override
    public void close() {
        closeViewers();
        for (int i = 0; i < publishers.size(); i++) {
            RtmpPublisher handler = publisherHandlers.get(i);
            Channel channel = publishers.get(i);
            channel.eventLoop().execute(() -> {
                handler.stop();
                channel.close();
            });
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
