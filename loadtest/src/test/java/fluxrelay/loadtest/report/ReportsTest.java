package fluxrelay.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.loadtest.metrics.Percentiles;
import fluxrelay.loadtest.metrics.StepResult;
import fluxrelay.loadtest.metrics.ViewerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    private static StepResult result(String label, int viewers, double cpu, int healthy) {
        return new StepResult(label, 1, ViewerKind.RTMP, viewers, viewers, 0, healthy, 1.0, 0.97, 0,
                new Percentiles(100, 4.0, 8.0, 20.5, 31.0), Percentiles.EMPTY,
                new Percentiles(viewers, 40.0, 60.0, 7250.0, 7300.5), 0, 2013, viewers * 2.0, cpu, Double.NaN, 1000, 120.5, Double.NaN,
                30.25, 0.5, 20.0);
    }

    @Test
    void csvRoundTripsAndEmptyFiguresStayEmpty(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.csv");
        Reports.write(file, Reports.csv(List.of(result("flux, relay", 100, 0.05, 100), result("x", 500, 0.2, 499))));
        List<Map<String, String>> rows = Reports.readCsv(file);
        assertEquals(2, rows.size());
        assertEquals("flux, relay", rows.get(0).get("label"));
        assertEquals("99.8", rows.get(1).get("healthy_pct"));
        assertEquals("20.5", rows.get(0).get("lat_p99_ms"));
        assertEquals("", rows.get(0).get("ttff_p50_ms"));
        assertEquals("", rows.get(0).get("server_heap_mib"));
        assertEquals("7250.0", rows.get(1).get("gap_p99_ms"), "each viewer's longest gap, as a failover costs it");
        assertEquals("7300.5", rows.get(1).get("gap_max_ms"));
        assertTrue(Files.readString(file).startsWith("label,step,kind,viewers,"));
    }

    @Test
    void lowLatencyPartFiguresHaveTheirColumnsAndStayEmptyForOtherKinds() {
        StepResult ll = new StepResult("x", 1, ViewerKind.LL_HLS, 500, 500, 0, 500, Double.NaN, Double.NaN, 0,
                new Percentiles(1000, 32.5, 60.0, 104.4, 120.0), Percentiles.EMPTY, Percentiles.EMPTY, 1732, Double.NaN, 1017.5, 0.157,
                0.238, 3535, 1206.6, Double.NaN, 5.1, 0.16, 15.0, new Percentiles(1000, 16.0, 40.0, 77.2, 105.9), 0.99416);
        Map<String, String> row = Columns.of(ll);
        assertEquals("llhls", row.get("kind"));
        assertEquals("16.0", row.get("part_delay_p50_ms"));
        assertEquals("77.2", row.get("part_delay_p99_ms"));
        assertEquals("99.42", row.get("parts_on_time_pct"));
        assertEquals("1732.0", row.get("segments_per_s"), "parts per second for LL-HLS");
        assertEquals("", Columns.of(result("r", 100, 0.05, 100)).get("parts_on_time_pct"));
    }

    @Test
    void keyframeLatencyHasItsColumnsAndStaysEmptyWithoutIt() {
        Percentiles all = new Percentiles(3000, 60.0, 110.0, 205.0, 240.0);
        Percentiles keyframes = new Percentiles(50, 150.5, 190.0, 231.25, 240.0);
        StepResult r = new StepResult("x", 3, ViewerKind.RTMP, 4000, 4000, 0, 4000, 1.0, 0.99, 0, all, Percentiles.EMPTY,
                Percentiles.EMPTY, 0, 2018, 8061.3, 0.69, 0.7, 70, 1236.9, Double.NaN, 40.0, 0.5, 15.0, Percentiles.EMPTY,
                Double.NaN, keyframes);
        Map<String, String> row = Columns.of(r);
        assertEquals("205.0", row.get("lat_p99_ms"));
        assertEquals("150.5", row.get("lat_key_p50_ms"));
        assertEquals("231.3", row.get("lat_key_p99_ms"));
        assertEquals("", Columns.of(result("r", 100, 0.05, 100)).get("lat_key_p99_ms"));
    }

    @Test
    void jsonHasNumbersAndNulls() {
        String json = Reports.json(Map.of("label", "a\"b"), List.of(result("x", 100, 0.05, 100)));
        assertTrue(json.contains("\"label\": \"a\\\"b\""), json);
        assertTrue(json.contains("\"viewers\": 100"), json);
        assertTrue(json.contains("\"ttff_p50_ms\": null"), json);
        assertTrue(json.contains("\"kind\": \"rtmp\""), json);
    }

    @Test
    void comparisonJoinsStepsAndGivesTheCpuRatio() {
        List<Map<String, String>> ours = List.of(Columns.of(result("ours", 1000, 0.20, 1000)), Columns.of(result("ours", 4000, 0.9, 3990)));
        List<Map<String, String>> peer = List.of(Columns.of(result("nginx", 1000, 0.50, 1000)), Columns.of(result("nginx", 2000, 1.0, 0)));
        String table = Comparison.markdown(ours, "ours", peer, "nginx");
        assertTrue(table.contains("| rtmp | 1000 | 0.200 | 0.500 | 0.40 |  |  | 100.0% | 100.0% |"), table);
        assertTrue(table.contains("| rtmp | 4000 | 0.900 | — | — |  | — | 99.8% | not run |"), table);
        assertTrue(table.contains("| rtmp | 2000 | not run | 1.000 |"), table);
        assertEquals("—", Comparison.ratio("1", "0"));
    }
}
