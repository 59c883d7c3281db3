package fluxrelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * A cluster node's view of the cluster: the live nodes it knows, whether it reaches the shared store, and the
 * latency and failures of its Redis commands (fed by {@link #commandCompleted}).
 */
public final class ClusterMetrics implements MeterBinder {

    private final IntSupplier knownNodes;
    private final BooleanSupplier storeReachable;
    private volatile Timer commands;
    private volatile Counter errors;

    /**
     * @param knownNodes the live nodes seen at the last heartbeat
     * @param storeReachable whether Redis answers now
     */
    public ClusterMetrics(IntSupplier knownNodes, BooleanSupplier storeReachable) {
        this.knownNodes = knownNodes;
        this.storeReachable = storeReachable;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fluxrelay.cluster.nodes", knownNodes, IntSupplier::getAsInt)
                .description("Live cluster nodes (this one included) seen at the last heartbeat").register(registry);
        Gauge.builder("fluxrelay.cluster.store.reachable", storeReachable, s -> s.getAsBoolean() ? 1 : 0)
                .description("1 while the cluster's Redis answers, 0 while this node runs degraded").register(registry);
        commands = Timer.builder("fluxrelay.cluster.redis.command")
                .description("Latency of Redis commands, failed ones included").register(registry);
        errors = Counter.builder("fluxrelay.cluster.redis.errors")
                .description("Redis commands that failed or could not be sent (Redis unreachable, timeout, error reply)")
                .register(registry);
    }

    /** Records one Redis command. */
    public void commandCompleted(long nanos, boolean failed) {
        Timer timer = commands;
        if (timer != null && nanos > 0) {
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
        Counter counter = errors;
        if (failed && counter != null) {
            counter.increment();
        }
    }
}
