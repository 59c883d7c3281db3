package fluxrelay.loadtest.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a process's CPU time and resident memory from Linux procfs ({@code /proc/PID/stat} fields 14-15,
 * utime and stime in clock ticks; {@code /proc/PID/status} VmRSS) and, for a JVM, its used heap from
 * {@code jcmd PID GC.heap_info}. Used for the server under test and for the load generator itself.
 */
public final class ProcessProbe {

    private static final Pattern HEAP_USED = Pattern.compile("total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+)\\s+kB");
    private static final Pattern WRITE_CALLS = Pattern.compile("syscw:\\s+(\\d+)");

    private final long pid;
    private final long ticksPerSecond;
    private final boolean jvm;

    /** A probe of process {@code pid}; {@code ticksPerSecond} is the kernel's USER_HZ (100 on Linux). */
    public ProcessProbe(long pid, long ticksPerSecond) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
        this.jvm = readCommandLine().contains("java");
    }

    /** A probe of this JVM. */
    public static ProcessProbe self() {
        return new ProcessProbe(ProcessHandle.current().pid(), 100);
    }

    public long pid() {
        return pid;
    }

    /** True while the process exists. */
    public boolean alive() {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** User plus system CPU time used so far, seconds; NaN when unreadable. */
    public double cpuSeconds() {
        try {
            return parseCpuSeconds(Files.readString(Path.of("/proc", Long.toString(pid), "stat")), ticksPerSecond);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size, bytes; -1 when unreadable. */
    public long rssBytes() {
        try {
            Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Write system calls made so far ({@code syscw} of {@code /proc/PID/io}: write, writev, sendmsg, ...); -1 when
     * unreadable. Each flush of a viewer's queue is one, so their rate shows how well writes are batched,
     * whatever else runs on the machine.
     */
    public long writeCalls() {
        try {
            Matcher m = WRITE_CALLS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "io")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Used Java heap from {@code jcmd}, bytes; -1 for a process that is not a JVM or when jcmd fails. */
    public long heapUsedBytes() {
        if (!jvm) {
            return -1;
        }
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(10, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return -1;
            }
            return parseHeapUsed(out);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** utime + stime of a {@code /proc/PID/stat} line, seconds. The command name may hold spaces and parentheses. */
    static double parseCpuSeconds(String stat, long ticksPerSecond) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // Fields after the name start at field 3 (state): utime is field 14, stime field 15.
        long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
        return ticks / (double) ticksPerSecond;
    }

    /**
     * The used heap in {@code jcmd GC.heap_info} output, bytes: the sum of every "total NK, used MK" line
     * (one for G1, one per generation for Serial and Parallel; Metaspace lines differ); -1 if none.
     */
    static long parseHeapUsed(String jcmdOutput) {
        Matcher m = HEAP_USED.matcher(jcmdOutput);
        long used = -1;
        while (m.find()) {
            used = Math.max(used, 0) + Long.parseLong(m.group(1)) * 1024;
        }
        return used;
    }

    private String readCommandLine() {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
