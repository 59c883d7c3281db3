package fluxrelay.loadtest.report;

import fluxrelay.http.Json;
import fluxrelay.loadtest.metrics.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes step results as CSV, JSON and a markdown table, and reads CSV back. */
public final class Reports {

    private Reports() {
    }

    /** CSV with a header line (RFC 4180; fields holding a comma or quote are quoted). */
    public static String csv(List<StepResult> results) {
        StringBuilder out = new StringBuilder();
        boolean header = true;
        for (StepResult result : results) {
            Map<String, String> row = Columns.of(result);
            if (header) {
                out.append(String.join(",", row.keySet())).append('\n');
                header = false;
            }
            out.append(String.join(",", row.values().stream().map(Reports::csvField).toList())).append('\n');
        }
        return out.toString();
    }

    /** Rows of a CSV written by {@link #csv}. */
    public static List<Map<String, String>> readCsv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Map<String, String>> rows = new ArrayList<>();
        if (lines.isEmpty()) {
            return rows;
        }
        String[] names = lines.get(0).split(",", -1);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = splitCsv(line);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) {
                row.put(names[i], i < fields.size() ? fields.get(i) : "");
            }
            rows.add(row);
        }
        return rows;
    }

    /** JSON: {@code {"meta": {...}, "steps": [{column: value}, ...]}}, numbers unquoted. */
    public static String json(Map<String, String> meta, List<StepResult> results) {
        StringBuilder out = new StringBuilder("{\n  \"meta\": {");
        appendObject(out, meta, false);
        out.append("},\n  \"steps\": [");
        for (int i = 0; i < results.size(); i++) {
            out.append(i == 0 ? "\n    {" : ",\n    {");
            appendObject(out, Columns.of(results.get(i)), true);
            out.append('}');
        }
        return out.append("\n  ]\n}\n").toString();
    }

    /** A markdown table of the main figures of each step. */
    public static String markdown(List<StepResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"step", "kind", "viewers", "healthy", "rx share p50", "latency p50/p99 ms", "TTFF p50/p99 ms",
                "server CPU", "core busy", "RSS MiB", "RSS/viewer KiB", "load CPU"});
        for (StepResult r : results) {
            Map<String, String> c = Columns.of(r);
            rows.add(new String[] {c.get("step"), c.get("kind"), c.get("viewers"), c.get("healthy_pct") + "%", c.get("rx_share_p50"),
                    c.get("lat_p50_ms") + " / " + c.get("lat_p99_ms"), c.get("ttff_p50_ms") + " / " + c.get("ttff_p99_ms"),
                    c.get("server_cpu"), c.get("server_core_busy"), c.get("server_rss_mib"), c.get("rss_per_viewer_kib"), c.get("loadgen_cpu")});
        }
        return table(rows);
    }

    /** A markdown table whose first row is the header. */
    static String table(List<String[]> rows) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            out.append("| ").append(String.join(" | ", rows.get(i))).append(" |\n");
            if (i == 0) {
                out.append('|').append("---|".repeat(rows.get(0).length)).append('\n');
            }
        }
        return out.toString();
    }

    /** Writes {@code text} to {@code file}, creating its folder. */
    public static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text);
    }

    private static void appendObject(StringBuilder out, Map<String, String> values, boolean numbers) {
        boolean first = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out.append(first ? "" : ", ").append(Json.quote(e.getKey())).append(": ");
            String v = e.getValue();
            if (v == null || v.isEmpty()) {
                out.append("null");
            } else if (numbers && v.matches("-?\\d+(\\.\\d+)?")) {
                out.append(v);
            } else {
                out.append(Json.quote(v));
            }
            first = false;
        }
    }

    private static String csvField(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static List<String> splitCsv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
