package fluxrelay.loadtest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.run.LoadPlan;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void ladderSetsTheLadderKindAndKeepsTheOthers() throws Exception {
        LoadPlan plan = Arguments.parse(List.of("--file", "a.flv", "--publish", "rtmp://h:1936/live/key",
                "--rtmp", "rtmp://h/live/room", "--flv", "http://h:8080/live/room.flv", "--flv-viewers", "10",
                "--ladder", "100, 500,1000", "--duration", "500ms", "--settle", "2m", "--stop-below", "0.9", "--no-stamp"));
        assertEquals(List.of(new LoadPlan.Step(100, 10, 0), new LoadPlan.Step(500, 10, 0), new LoadPlan.Step(1000, 10, 0)), plan.steps());
        assertEquals(ViewerKind.RTMP, plan.ladderKind());
        assertEquals(1935, plan.rtmp().get(0).port());
        assertEquals("key", plan.publishers().get(0).streamName());
        assertEquals(Duration.ofMillis(500), plan.window());
        assertEquals(Duration.ofMinutes(2), plan.settle());
        assertEquals(0.9, plan.stopBelow());
        assertEquals(false, plan.stamp());
        assertEquals(1, plan.warmupJoins(), "one join of the warm-up viewers unless asked");
        assertEquals(5, Arguments.parse(List.of("--warmup-joins", "5")).warmupJoins());
    }

    @Test
    void lowLatencyHlsLadderWithPolling() throws Exception {
        LoadPlan plan = Arguments.parse(List.of("--llhls", "http://h:8082/bench/ll.m3u8", "--ladder-kind", "llhls",
                "--ladder", "500,2000", "--llhls-poll"));
        assertEquals(List.of(new LoadPlan.Step(0, 0, 0, 500), new LoadPlan.Step(0, 0, 0, 2000)), plan.steps());
        assertEquals(ViewerKind.LL_HLS, plan.ladderKind());
        assertEquals(true, plan.llhlsPoll());
        assertEquals(false, Arguments.parse(List.of("--llhls", "http://h/ll.m3u8", "--llhls-viewers", "3")).llhlsPoll());
    }

    @Test
    void aPlayUrlKeepsItsQueryInTheStreamNameAndOutOfTheTcUrl() throws Exception {
        LoadPlan plan = Arguments.parse(List.of("--rtmp", "rtmp://h:1936/live/room", "--rtmp", "rtmp://h:1936/live/room?rendition=240p",
                "--ladder", "0,300"));
        assertEquals(List.of("room", "room?rendition=240p"), plan.rtmp().stream().map(u -> u.streamName()).toList());
        assertEquals("rtmp://h:1936/live", plan.rtmp().get(1).tcUrl());
        assertEquals(new LoadPlan.Step(0, 0, 0), plan.steps().get(0), "a step of no viewers is kept");
    }

    @Test
    void probesTakeTheirUrlsCountAndInterval() throws Exception {
        LoadPlan plan = Arguments.parse(List.of("--probe", "rtmp://h:1947/live/room", "--probe", "rtmp://h:1948/live/room",
                "--probes", "6", "--probe-interval", "4s"));
        assertEquals(6, plan.probes().count());
        assertEquals(List.of(1947, 1948), plan.probes().urls().stream().map(u -> u.port()).toList());
        assertEquals(Duration.ofSeconds(4), plan.probes().interval());
        LoadPlan none = Arguments.parse(List.of("--probe", "rtmp://h/live/room"));
        assertEquals(0, none.probes().count(), "no probe unless counted");
        assertEquals(Duration.ofSeconds(5), none.probes().interval());
    }

    @Test
    void errorsNameTheOption() {
        assertMessage("--probes needs a URL to probe (--probe)", "--probes", "3");
        assertMessage("--probes: must not be negative: -1", "--probe", "rtmp://h/live/room", "--probes", "-1");
        assertMessage("--probe: RTMP URL needs /app/stream: rtmp://h/live", "--probe", "rtmp://h/live");
        assertMessage("--ramp: must be positive: 0", "--rtmp", "rtmp://h/a/b", "--rtmp-viewers", "1", "--ramp", "0");
        assertMessage("--warmup-joins: must be positive: 0", "--warmup-joins", "0");
        assertMessage("--duration: not a duration (500ms, 5s, 2m): 5 s", "--duration", "5 s");
        assertMessage("viewers asked for without a URL to play (--rtmp, --flv, --hls, --llhls)", "--hls-viewers", "3");
        assertMessage("--publish needs --file", "--publish", "rtmp://h/live/k");
        assertMessage("--rtmp: RTMP URL needs /app/stream: rtmp://h/live", "--rtmp", "rtmp://h/live");
        assertMessage("--flv needs a value", "--flv");
        assertMessage("unknown option: --viewers (try --help)", "--viewers", "3");
    }

    @Test
    void helpAndBadUsageExitCodes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, LoadTestMain.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--rtmp-viewers N"));
        assertEquals(2, LoadTestMain.run(new String[] {"--bogus", "1"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option: --bogus"));
    }

    private static void assertMessage(String expected, String... args) {
        Arguments.UsageException e = org.junit.jupiter.api.Assertions.assertThrows(Arguments.UsageException.class,
                () -> Arguments.parse(List.of(args)));
        assertEquals(expected, e.getMessage());
    }
}
