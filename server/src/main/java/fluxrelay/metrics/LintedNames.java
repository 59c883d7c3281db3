package fluxrelay.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps the exposition clean for {@code promtool check metrics}: third-party binders (Micrometer's JVM,
 * system and Netty ones) register meters without help text or with names Prometheus' lint rejects.
 * Must be configured before any meter is registered.
 */
final class LintedNames implements MeterFilter {

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        // A counter in nanoseconds ("_ns_total" is an abbreviated unit); process_cpu_usage carries the same signal.
        return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        return switch (id.getName()) {
            // Gauges must not end in "_count" (that suffix belongs to histograms and summaries).
            case "system.cpu.count" -> described(id.withName("system.cpu.available"), id.getDescription());
            case "netty.allocator.memory.used" -> described(id.withBaseUnit("bytes"), "Memory held by Netty's buffer allocator");
            case "netty.eventexecutor.tasks.pending" -> described(id, "Tasks queued on a Netty event loop");
            default -> id.getDescription() == null || id.getDescription().isBlank() ? described(id, id.getName()) : id;
        };
    }

    private static Meter.Id described(Meter.Id id, String description) {
        return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                description, id.getType());
    }
}
