package fluxrelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The cluster's figures: publish lease renewals and losses, and the edge's origin pulls (open now, started, failed,
 * time to the first keyframe). The composition root hands these methods to the cluster as its event interface.
 */
public final class ClusterPullMetrics {

    private final Counter renewals;
    private final Counter losses;
    private final Counter started;
    private final Counter failed;
    private final Timer firstKeyframe;

    /** @param openPulls the pulls running now */
    public ClusterPullMetrics(MeterRegistry registry, IntSupplier openPulls) {
        renewals = Counter.builder("fluxrelay.cluster.lease.renewals").description("Publish leases renewed").register(registry);
        losses = Counter.builder("fluxrelay.cluster.lease.losses")
                .description("Publish leases lost while publishing (the local publish ended)").register(registry);
        started = Counter.builder("fluxrelay.cluster.pulls.started").description("Origin pulls whose play started")
                .register(registry);
        failed = Counter.builder("fluxrelay.cluster.pulls.failed")
                .description("Origin pull attempts that failed or lost their origin").register(registry);
        firstKeyframe = Timer.builder("fluxrelay.cluster.pull.first.keyframe")
                .description("From a viewer's demand at an edge to the pull's first keyframe")
                .serviceLevelObjectives(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                        Duration.ofSeconds(5))
                .register(registry);
        Gauge.builder("fluxrelay.cluster.pulls.open", openPulls, s -> s.getAsInt())
                .description("Origin pulls running now (one per feed pulled to this node)").strongReference(true).register(registry);
    }

    public void leaseRenewed() {
        renewals.increment();
    }

    public void leaseLost() {
        losses.increment();
    }

    public void pullStarted() {
        started.increment();
    }

    public void pullFailed() {
        failed.increment();
    }

    public void pullFirstKeyframe(long nanos) {
        firstKeyframe.record(nanos, TimeUnit.NANOSECONDS);
    }
}
