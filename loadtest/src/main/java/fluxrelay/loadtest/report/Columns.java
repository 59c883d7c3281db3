package fluxrelay.loadtest.report;

import fluxrelay.loadtest.metrics.StepResult;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link StepResult} as named columns, the one shape shared by the CSV, JSON and markdown reports (and
 * read back from CSV by {@link Comparison}).
 */
public final class Columns {

    private Columns() {
    }

    /** The row of a result, in report column order; numbers formatted with a dot, NaN as empty. */
    public static Map<String, String> of(StepResult r) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("label", r.label());
        row.put("step", Integer.toString(r.step()));
        row.put("kind", r.kind().label());
        row.put("viewers", Integer.toString(r.viewers()));
        row.put("playing", Integer.toString(r.playing()));
        row.put("failed", Long.toString(r.failed()));
        row.put("healthy", Integer.toString(r.healthy()));
        row.put("healthy_pct", num(100 * r.healthyShare(), 1));
        row.put("rx_share_p50", num(r.receivedShareMedian(), 3));
        row.put("rx_share_min", num(r.receivedShareMin(), 3));
        row.put("stalled", Integer.toString(r.stalled()));
        row.put("lat_p50_ms", num(r.latency().p50(), 1));
        row.put("lat_p90_ms", num(r.latency().p90(), 1));
        row.put("lat_p99_ms", num(r.latency().p99(), 1));
        row.put("lat_max_ms", num(r.latency().max(), 1));
        row.put("ttff_p50_ms", num(r.timeToFirstFrame().p50(), 1));
        row.put("ttff_p90_ms", num(r.timeToFirstFrame().p90(), 1));
        row.put("ttff_p99_ms", num(r.timeToFirstFrame().p99(), 1));
        row.put("ttff_max_ms", num(r.timeToFirstFrame().max(), 1));
        row.put("gap_p50_ms", num(r.longestGap().p50(), 1));
        row.put("gap_p99_ms", num(r.longestGap().p99(), 1));
        row.put("gap_max_ms", num(r.longestGap().max(), 1));
        row.put("segments_per_s", num(r.segmentsPerSecond(), 1));
        row.put("stream_kbps", num(r.streamKbps(), 0));
        row.put("rx_mbps", num(r.receivedMbps(), 1));
        row.put("server_cpu", num(r.serverCpu(), 3));
        row.put("server_core_busy", num(r.serverCoreBusy(), 3));
        row.put("server_writes_per_s", num(r.serverWritesPerSecond(), 0));
        row.put("server_rss_mib", num(r.serverRssMiB(), 1));
        row.put("server_heap_mib", num(r.serverHeapMiB(), 1));
        row.put("rss_per_viewer_kib", num(r.rssPerViewerKiB(), 1));
        row.put("loadgen_cpu", num(r.loadCpu(), 3));
        row.put("window_s", num(r.windowSeconds(), 1));
        row.put("part_delay_p50_ms", num(r.partDelay().p50(), 1));
        row.put("part_delay_p99_ms", num(r.partDelay().p99(), 1));
        row.put("part_delay_max_ms", num(r.partDelay().max(), 1));
        row.put("parts_on_time_pct", num(100 * r.partsOnTime(), 2));
        row.put("lat_key_p50_ms", num(r.keyframeLatency().p50(), 1));
        row.put("lat_key_p99_ms", num(r.keyframeLatency().p99(), 1));
        return row;
    }

    /** A number with {@code decimals} decimals, or an empty string for NaN. */
    static String num(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
