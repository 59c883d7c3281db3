package fluxrelay.metrics;

import fluxrelay.rtmp.chunk.ReassemblyBudget;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Bytes RTMP connections hold in partly received messages against the server-wide budget, and the
 * connections closed for going over a budget (their own, or the server's).
 */
public final class PartialMessageMetrics implements MeterBinder {

    private final ReassemblyBudget budget;

    public PartialMessageMetrics(ReassemblyBudget budget) {
        this.budget = budget;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String held = "Bytes reserved for RTMP messages under reassembly (declared lengths)";
        Gauge.builder("fluxrelay.rtmp.partial.messages", budget, ReassemblyBudget::reserved).baseUnit("bytes")
                .tag("connections", "all").description(held).register(registry);
        Gauge.builder("fluxrelay.rtmp.partial.messages", budget, ReassemblyBudget::reservedUntrusted).baseUnit("bytes")
                .tag("connections", "before_publish").description(held).register(registry);
        String limit = "Server-wide budget for RTMP messages under reassembly";
        Gauge.builder("fluxrelay.rtmp.partial.messages.budget", budget, ReassemblyBudget::capacity).baseUnit("bytes")
                .tag("connections", "all").description(limit).register(registry);
        Gauge.builder("fluxrelay.rtmp.partial.messages.budget", budget, ReassemblyBudget::untrustedCapacity).baseUnit("bytes")
                .tag("connections", "before_publish").description(limit).register(registry);
        String refused = "RTMP connections closed because a message would exceed a partial-message budget";
        FunctionCounter.builder("fluxrelay.rtmp.partial.messages.refused", budget, ReassemblyBudget::connectionRefusals)
                .tag("budget", "connection").description(refused).register(registry);
        FunctionCounter.builder("fluxrelay.rtmp.partial.messages.refused", budget, ReassemblyBudget::serverRefusals)
                .tag("budget", "server").description(refused).register(registry);
    }
}
