package fluxrelay.metrics;

import fluxrelay.egress.EgressCounters;
import fluxrelay.stream.DropReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/** What viewers were sent and what was dropped for them, per protocol and reason. */
public final class EgressMetrics implements MeterBinder {

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
            FunctionCounter.builder("fluxrelay.viewers.joined", counters, EgressCounters::viewersJoined)
                    .tag("protocol", counters.protocol()).description("Viewers that joined").register(registry);
            for (DropReason reason : DropReason.values()) {
                FunctionCounter.builder("fluxrelay.viewer.dropped.frames", counters, c -> c.drops().frames(reason))
                        .tags("protocol", counters.protocol(), "reason", reason.label())
                        .description("Frames not sent to a viewer that fell behind, by reason").register(registry);
            }
        }
    }
}
