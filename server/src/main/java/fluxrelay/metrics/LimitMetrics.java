package fluxrelay.metrics;

import fluxrelay.netty.ConnectionLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Connections refused by the connection caps, by cap. */
public final class LimitMetrics implements MeterBinder {

    private final ConnectionLimiter limiter;

    public LimitMetrics(ConnectionLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("fluxrelay.connections.refused", limiter, ConnectionLimiter::refusedTotal).tag("limit", "total")
                .description("Connections closed at once because a connection cap was reached").register(registry);
        FunctionCounter.builder("fluxrelay.connections.refused", limiter, ConnectionLimiter::refusedPerIp).tag("limit", "per_ip")
                .description("Connections closed at once because a connection cap was reached").register(registry);
    }
}
