package fluxrelay.config;

import java.time.Duration;

/**
 * Metrics and lifecycle ({@code relay.metrics}, {@code relay.lifecycle}).
 *
 * @param maxRoomLabels rooms with their own label value in per-room metrics
 * @param drainTimeout how long live rooms keep being served after SIGTERM
 */
public record OperationsConfig(int maxRoomLabels, Duration drainTimeout) {
}
