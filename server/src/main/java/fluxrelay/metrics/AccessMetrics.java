package fluxrelay.metrics;

import fluxrelay.access.AccessPolicy;
import fluxrelay.access.AccessRefusal;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Plays refused for their viewer access token, by reason ({@code fluxrelay_access_refusals_total{reason}}): every
 * reason is registered at start, so a rate is defined before the first refusal. HLS counts each refused request.
 */
public final class AccessMetrics implements MeterBinder {

    private final AccessPolicy access;

    public AccessMetrics(AccessPolicy access) {
        this.access = access;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (AccessRefusal reason : AccessRefusal.values()) {
            FunctionCounter.builder("fluxrelay.access.refusals", access, a -> a.refusals(reason)).tag("reason", reason.label())
                    .description("Plays refused for a missing or invalid viewer access token, by reason").register(registry);
        }
    }
}
