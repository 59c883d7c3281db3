package fluxrelay.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

/**
 * Keeps third-party binders' meters within Prometheus conventions so {@code promtool check metrics}
 * passes: every metric gets help text, {@code system.cpu.count} is renamed (a {@code _count} suffix is
 * reserved for summaries), and {@code process.cpu.time} (an abbreviated unit, {@code _ns}) is dropped in
 * favour of {@code process_cpu_usage}.
 */
final class PrometheusConventions {

    static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public MeterFilterReply accept(Meter.Id id) {
            return id.getName().equals("process.cpu.time") ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
        }

        @Override
        public Meter.Id map(Meter.Id id) {
            Meter.Id out = id.getName().equals("system.cpu.count") ? id.withName("system.cpu.cores") : id;
            if (out.getDescription() == null || out.getDescription().isBlank()) {
                out = new Meter.Id(out.getName(), Tags.of(out.getTags()), out.getBaseUnit(), out.getName().replace('.', ' '),
                        out.getType());
            }
            return out;
        }
    };

    private PrometheusConventions() {
    }
}
