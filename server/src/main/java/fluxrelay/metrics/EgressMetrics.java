package fluxrelay.metrics;

import fluxrelay.egress.EgressCounters;
import fluxrelay.stream.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What viewers were sent and what was dropped for them, per protocol and reason, and how long viewers joining a
 * live room waited for their first picture (a histogram, so ops can alert on a slow start).
 */
public final class EgressMetrics implements MeterBinder {

    private static final Duration[] FIRST_FRAME_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5)};

    private final List<EgressCounters> protocols;

    public EgressMetrics(List<EgressCounters> protocols) {
        this.protocols = List.copyOf(protocols);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (EgressCounters counters : protocols) {
            FunctionCounter.builder("fluxrelay.egress", counters, EgressCounters::bytes).baseUnit("bytes")
                    .tag("protocol", counters.protocol()).description("Media payload bytes sent to viewers").register(registry);
            FunctionCounter.builder("fluxrelay.egress.frames", counters, EgressCounters::frames)
                    .tag("protocol", counters.protocol()).description("Frames sent to viewers").register(registry);
            FunctionCounter.builder("fluxrelay.egress.frames.in.step", counters, EgressCounters::framesInStep)
                    .tag("protocol", counters.protocol())
                    .description("Of the frames sent to viewers, those taken once for a loop's viewers in step (merged writes)")
                    .register(registry);
            FunctionCounter.builder("fluxrelay.viewers.joined", counters, EgressCounters::viewersJoined)
                    .tag("protocol", counters.protocol()).description("Viewers that joined").register(registry);
            Timer firstFrame = Timer.builder("fluxrelay.viewer.first.frame").tag("protocol", counters.protocol())
                    .description("Time from a viewer's connection to its first keyframe handed to the socket, for viewers"
                            + " joining a live room")
                    .serviceLevelObjectives(FIRST_FRAME_BUCKETS).register(registry);
            counters.timeToFirstFrameTo(nanos -> firstFrame.record(nanos, TimeUnit.NANOSECONDS));
            for (DropReason reason : DropReason.values()) {
                FunctionCounter.builder("fluxrelay.viewer.dropped.frames", counters, c -> c.drops().frames(reason))
                        .tags("protocol", counters.protocol(), "reason", reason.label())
                        .description("Frames not sent to a viewer that fell behind, by reason").register(registry);
            }
        }
    }
}
