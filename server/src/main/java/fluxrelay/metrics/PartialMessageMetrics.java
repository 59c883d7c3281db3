package fluxrelay.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.LongSupplier;

/**
 * Bytes RTMP connections hold in partly received messages against the server-wide budget, and the
 * connections closed for going over a budget (their own, or the server's).
 */
public final class PartialMessageMetrics implements MeterBinder {

    /**
     * The figures of the server-wide reassembly budget, as the RTMP listener keeps them.
     *
     * @param reserved bytes reserved by all connections
     * @param reservedBeforePublish bytes reserved by connections that have not published
     * @param capacity the server-wide budget
     * @param capacityBeforePublish the part of it open to connections that have not published
     * @param connectionRefusals connections closed for going over their own budget
     * @param serverRefusals connections closed for going over the server-wide budget
     */
    public record Budget(LongSupplier reserved, LongSupplier reservedBeforePublish, LongSupplier capacity,
                         LongSupplier capacityBeforePublish, LongSupplier connectionRefusals, LongSupplier serverRefusals) {
    }

    private final Budget budget;

    public PartialMessageMetrics(Budget budget) {
        this.budget = budget;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        String held = "Bytes reserved for RTMP messages under reassembly (declared lengths)";
        Gauge.builder("fluxrelay.rtmp.partial.messages", budget.reserved(), LongSupplier::getAsLong).baseUnit("bytes")
                .tag("connections", "all").description(held).register(registry);
        Gauge.builder("fluxrelay.rtmp.partial.messages", budget.reservedBeforePublish(), LongSupplier::getAsLong).baseUnit("bytes")
                .tag("connections", "before_publish").description(held).register(registry);
        String limit = "Server-wide budget for RTMP messages under reassembly";
        Gauge.builder("fluxrelay.rtmp.partial.messages.budget", budget.capacity(), LongSupplier::getAsLong).baseUnit("bytes")
                .tag("connections", "all").description(limit).register(registry);
        Gauge.builder("fluxrelay.rtmp.partial.messages.budget", budget.capacityBeforePublish(), LongSupplier::getAsLong).baseUnit("bytes")
                .tag("connections", "before_publish").description(limit).register(registry);
        String refused = "RTMP connections closed because a message would exceed a partial-message budget";
        FunctionCounter.builder("fluxrelay.rtmp.partial.messages.refused", budget.connectionRefusals(), LongSupplier::getAsLong)
                .tag("budget", "connection").description(refused).register(registry);
        FunctionCounter.builder("fluxrelay.rtmp.partial.messages.refused", budget.serverRefusals(), LongSupplier::getAsLong)
                .tag("budget", "server").description(refused).register(registry);
    }
}
