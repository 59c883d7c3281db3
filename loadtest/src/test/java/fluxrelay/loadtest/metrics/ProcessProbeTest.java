package fluxrelay.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessProbeTest {

    @Test
    void cpuSecondsAreUtimePlusStimeEvenWithParenthesesInTheName() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 52210 0 1 0 1234 566 0 0 20 0 40 0 5301 0 0";
        assertEquals(18.0, ProcessProbe.parseCpuSeconds(stat, 100), 1e-9);
    }

    @Test
    void heapUsedAddsUpGenerationsAndSkipsMetaspace() {
        String g1 = """
                4242:
                 garbage-first heap   total 1048576K, used 104857K [0x00000000c0000000, 0x0000000100000000)
                  region size 1024K, 21 young (21504K), 2 survivors (2048K)
                 Metaspace       used 20000K, committed 20480K, reserved 1114112K
                """;
        assertEquals(104857L * 1024, ProcessProbe.parseHeapUsed(g1));
        String serial = """
                 def new generation   total 9216K, used 5060K [0x1, 0x2, 0x3)
                 tenured generation   total 20480K, used 1000K [0x4, 0x5, 0x6)
                """;
        assertEquals(6060L * 1024, ProcessProbe.parseHeapUsed(serial));
        assertEquals(-1, ProcessProbe.parseHeapUsed("4242: Unable to open socket file"));
    }

    @Test
    void coreBusyIsEverythingButIdleAndIowait() {
        String stat = "cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 100 5 50 800 40 3 2 0 0 0\ncpu1 1 1 1 1 1 1 1 1 0 0\n";
        long[] before = CoreProbe.parse(stat, 0);
        assertEquals(160, before[0]);
        assertEquals(1000, before[1]);
        long[] after = CoreProbe.parse(stat.replace("cpu0 100 5 50 800", "cpu0 150 5 100 900"), 0);
        assertEquals(0.5, CoreProbe.busy(before, after), 1e-9);
        assertEquals(null, CoreProbe.parse(stat, 7));
    }

    @Test
    void readsThisProcess() {
        ProcessProbe self = ProcessProbe.self();
        assertTrue(self.alive());
        assertTrue(self.cpuSeconds() > 0);
        assertTrue(self.rssBytes() > 1024 * 1024);
        assertTrue(self.writeCalls() >= 0);
    }
}
