package fluxrelay.metrics;

import fluxrelay.netty.ConnectionTracker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's Prometheus registry: JVM and Netty figures plus one binder per feature. {@link #scrape()}
 * refreshes the per-room rows and renders the exposition text.
 */
public final class RelayMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> refreshers = new ArrayList<>();
    /** Micrometer holds a function meter's state object weakly: a binder nobody else keeps would be collected. */
    private final List<MeterBinder> bound = new ArrayList<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** @param loops the event loop groups whose loops are measured (pending tasks, workers) */
    public RelayMetrics(List<EventLoopGroup> loops, List<ConnectionTracker> listeners) {
        registry.config().meterFilter(PrometheusConventions.FILTER);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        for (EventLoopGroup group : loops) {
            new NettyEventExecutorMetrics(group).bindTo(registry);
        }
        Gauge.builder("fluxrelay.netty.direct.memory.used", PlatformDependent::usedDirectMemory).baseUnit("bytes")
                .description("Direct memory Netty has reserved (-1 when not tracked)").register(registry);
        for (ConnectionTracker tracker : listeners) {
            Gauge.builder("fluxrelay.connections", tracker, ConnectionTracker::open).tag("protocol", tracker.protocol())
                    .description("Connections open").register(registry);
            FunctionCounter.builder("fluxrelay.connections.accepted", tracker, ConnectionTracker::accepted)
                    .tag("protocol", tracker.protocol()).description("Connections accepted").register(registry);
        }
    }

    /** The registry features bind their meters to. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds a feature's meters. */
    public void bind(MeterBinder binder) {
        binder.bindTo(registry);
        bound.add(binder);
    }

    /** Binds per-room meters that are recomputed at each scrape. */
    public void bind(StreamMetrics streams) {
        streams.bindTo(registry);
        refreshers.add(streams::refresh);
    }

    /** Binds the per-room bandwidth meters, recomputed at each scrape. */
    public void bind(BandwidthMetrics bandwidth) {
        bandwidth.bindTo(registry);
        refreshers.add(bandwidth::refresh);
    }

    /** Binds the rooms' program meters, the on-air input recomputed at each scrape. */
    public void bind(ProgramMetrics programs) {
        programs.bindTo(registry);
        bound.add(programs);
        refreshers.add(programs::refresh);
    }

    /** Prometheus text exposition format 0.0.4. */
    public String scrape() {
        refreshers.forEach(Runnable::run);
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
