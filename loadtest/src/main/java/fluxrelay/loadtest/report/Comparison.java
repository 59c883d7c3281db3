package fluxrelay.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Puts two runs of the same ladder side by side (ours and a peer such as nginx-rtmp), step by step, with
 * the ratio of CPU per viewer: the table BENCHMARKS.md shows.
 */
public final class Comparison {

    private Comparison() {
    }

    /** A markdown table joining rows of the same kind and viewer count. */
    public static String markdown(List<Map<String, String>> ours, String ourName, List<Map<String, String>> peer, String peerName) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"kind", "viewers",
                ourName + " CPU", peerName + " CPU", "CPU " + ourName + "/" + peerName,
                ourName + " core busy", peerName + " core busy",
                ourName + " healthy", peerName + " healthy",
                ourName + " latency p50/p99 ms", peerName + " latency p50/p99 ms",
                ourName + " TTFF p50 ms", peerName + " TTFF p50 ms",
                ourName + " RSS/viewer KiB", peerName + " RSS/viewer KiB"});
        for (Map<String, String> a : ours) {
            Map<String, String> b = peer.stream()
                    .filter(r -> r.get("kind").equals(a.get("kind")) && r.get("viewers").equals(a.get("viewers")))
                    .findFirst().orElse(Map.of());
            rows.add(new String[] {a.get("kind"), a.get("viewers"),
                    a.get("server_cpu"), cell(b, "server_cpu"), ratio(a.get("server_cpu"), b.get("server_cpu")),
                    a.get("server_core_busy"), cell(b, "server_core_busy"),
                    pct(a), b.isEmpty() ? "not run" : pct(b),
                    a.get("lat_p50_ms") + " / " + a.get("lat_p99_ms"), b.isEmpty() ? "—" : b.get("lat_p50_ms") + " / " + b.get("lat_p99_ms"),
                    a.get("ttff_p50_ms"), cell(b, "ttff_p50_ms"),
                    a.get("rss_per_viewer_kib"), cell(b, "rss_per_viewer_kib")});
        }
        for (Map<String, String> b : peer) {
            boolean matched = ours.stream().anyMatch(a -> a.get("kind").equals(b.get("kind")) && a.get("viewers").equals(b.get("viewers")));
            if (!matched) {
                rows.add(new String[] {b.get("kind"), b.get("viewers"), "not run", b.get("server_cpu"), "—", "—",
                        b.get("server_core_busy"), "not run", pct(b), "—",
                        b.get("lat_p50_ms") + " / " + b.get("lat_p99_ms"), "—", b.get("ttff_p50_ms"), "—", b.get("rss_per_viewer_kib")});
            }
        }
        return Reports.table(rows);
    }

    private static String cell(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "—" : v;
    }

    private static String pct(Map<String, String> row) {
        return row.get("healthy_pct") + "%";
    }

    /** {@code a / b} with two decimals, or a dash when either is missing or b is zero. */
    static String ratio(String a, String b) {
        try {
            double x = Double.parseDouble(a);
            double y = Double.parseDouble(b);
            return y == 0 ? "—" : String.format(Locale.ROOT, "%.2f", x / y);
        } catch (NumberFormatException | NullPointerException e) {
            return "—";
        }
    }
}
