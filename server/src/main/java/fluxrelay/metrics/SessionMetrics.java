package fluxrelay.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RTMP session and ingest events as counters: handshake failures and publish refusals by reason, protocol errors.
 * The composition root hands these methods to the sessions and the ingest service as their event interfaces.
 */
public final class SessionMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> handshakeFailures = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();
    private final Counter protocolErrors;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.protocolErrors = Counter.builder("fluxrelay.rtmp.protocol.errors")
                .description("RTMP connections closed for a framing or protocol error").register(registry);
    }

    /** A handshake failed. */
    public void handshakeFailed(String reason) {
        handshakeFailures.computeIfAbsent(reason, r -> Counter.builder("fluxrelay.rtmp.handshake.failures").tag("reason", r)
                .description("RTMP handshakes that failed, by reason").register(registry)).increment();
    }

    /** A publish or connect was refused. */
    public void publishRefused(String reason) {
        refusals.computeIfAbsent(reason, r -> Counter.builder("fluxrelay.publish.refusals").tag("reason", r)
                .description("Publishes and connects refused, by reason").register(registry)).increment();
    }

    /** A framing error closed a connection. */
    public void protocolError() {
        protocolErrors.increment();
    }
}
