package fluxrelay.loadtest.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy one CPU core is, from its line in {@code /proc/stat} (proc(5): user, nice, system, idle, iowait,
 * irq, softirq, steal in ticks). Unlike a process's own CPU time it includes the kernel's network work done in
 * interrupt context on that core (loopback TCP receive processing runs there), and everything else scheduled
 * on the core: meaningful for a server pinned alone to a core on a quiet machine.
 */
public final class CoreProbe {

    private final int core;

    public CoreProbe(int core) {
        this.core = core;
    }

    /** Busy and total ticks of the core so far: {@code [busy, total]}; null when unreadable. */
    public long[] ticks() {
        try {
            return parse(Files.readString(Path.of("/proc/stat")), core);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy share of the core between two {@link #ticks()} readings, 0..1; NaN when either is missing. */
    public static double busy(long[] before, long[] after) {
        if (before == null || after == null || after[1] == before[1]) {
            return Double.NaN;
        }
        return (after[0] - before[0]) / (double) (after[1] - before[1]);
    }

    /** The {@code cpuN} line of a {@code /proc/stat} text as {@code [busy, total]} ticks; null if absent. */
    static long[] parse(String stat, int core) {
        String prefix = "cpu" + core + " ";
        for (String line : stat.split("\n")) {
            if (line.startsWith(prefix)) {
                String[] f = line.substring(prefix.length()).trim().split("\\s+");
                long total = 0;
                for (int i = 0; i < Math.min(f.length, 8); i++) {
                    total += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[3]) + Long.parseLong(f[4]);
                return new long[] {total - idle, total};
            }
        }
        return null;
    }
}
