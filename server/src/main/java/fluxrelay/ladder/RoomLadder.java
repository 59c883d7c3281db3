package fluxrelay.ladder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's ladder process: started, stopped, restarted with a {@link Backoff} when it exits while wanted, its last
 * lines of output kept for the log and the admin view, its CPU time summed. Every method but {@link #snapshot} runs on
 * the ladder's single thread; the snapshot reads volatile fields.
 */
final class RoomLadder {

    private static final Logger log = LoggerFactory.getLogger(RoomLadder.class);
    /** Lines of ffmpeg's output kept for the log line of a failure and the admin view. */
    static final int KEPT_LINES = 12;
    /** A failure's output is logged in full at most this often per room; others get one short line. */
    static final Duration FULL_LOG_EVERY = Duration.ofMinutes(1);
    /** How long a stopped process gets to end on SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);

    private final String roomId;
    private final ScheduledExecutorService thread;
    private final Backoff backoff;
    private final Runnable again;
    private Process process;
    private long startedNanos;
    private ScheduledFuture<?> restart;
    private long lastFullLog = Long.MIN_VALUE / 2;
    private int quietFailures;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    private volatile String state = "idle";
    private volatile long pid;
    private volatile List<String> rungs = List.of();
    private volatile List<String> skipped = List.of();
    private volatile long restarts;
    private volatile String lastError;
    /** CPU of ended processes, and the last reading of the running one, nanoseconds. */
    private volatile long cpuEndedNanos;
    private volatile long cpuRunningNanos;

    /**
     * @param again run (on the ladder thread) when a restart's backoff has passed: starts the room's ladder again if the
     *     room still wants one
     */
    RoomLadder(String roomId, ScheduledExecutorService thread, Backoff backoff, Runnable again) {
        this.roomId = roomId;
        this.thread = thread;
        this.backoff = backoff;
        this.again = again;
    }

    boolean running() {
        return process != null;
    }

    boolean restarting() {
        return restart != null;
    }

    void waiting() {
        state = "waiting";
    }

    /** Notes the rungs skipped now (the view shows them while nothing runs, too). */
    void skipped(List<String> skippedNow) {
        skipped = List.copyOf(skippedNow);
    }

    /** Starts a process for {@code chosen} rungs ({@code skipped} noted for the view); false when it could not start. */
    boolean start(List<String> command, List<String> chosen, List<String> skippedNow) {
        cancelRestart();
        rungs = List.copyOf(chosen);
        skipped = List.copyOf(skippedNow);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            process = builder.start();
        } catch (IOException e) {
            process = null;
            failed("cannot start " + command.get(0) + ": " + e.getMessage() + " (check relay.ladder.ffmpeg)", Duration.ZERO);
            return false;
        }
        Process started = process;
        try {
            started.getOutputStream().close(); // no input: ffmpeg reads the program over RTMP
        } catch (IOException ignored) {
            // closed already
        }
        startedNanos = System.nanoTime();
        pid = started.pid();
        state = "running";
        cpuRunningNanos = 0;
        log.info("room {}: ladder started (ffmpeg pid {}) for renditions {}{}", roomId, pid, chosen,
                skippedNow.isEmpty() ? "" : ", skipped " + skippedNow);
        Thread reader = new Thread(() -> read(started), "ladder-" + roomId);
        reader.setDaemon(true);
        reader.start();
        started.onExit().thenAcceptAsync(this::exited, thread);
        return true;
    }

    /** Stops the running process (if any) and any pending restart; the room goes idle. */
    void stop(String why) {
        cancelRestart();
        Process running = process;
        process = null;
        state = "idle";
        rungs = List.of();
        pid = 0;
        if (running != null) {
            log.info("room {}: ladder stopped ({})", roomId, why);
            sampleCpu(running);
            cpuEndedNanos += cpuRunningNanos;
            cpuRunningNanos = 0;
            running.destroy();
            thread.schedule(() -> {
                if (running.isAlive()) {
                    // Usual when the program's publish ended: ffmpeg waits on its silent input and does not see the signal.
                    log.info("room {}: ladder ffmpeg (pid {}) still running {} s after SIGTERM; killed", roomId, running.pid(),
                            STOP_GRACE.toSeconds());
                    running.destroyForcibly();
                }
            }, STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The process ended. A stopped one is done with; one that ended on its own while still wanted is restarted after the
     * backoff by {@code again} (which re-checks that the room still wants a ladder).
     */
    private void exited(Process ended) {
        if (process != ended) {
            return; // stopped on purpose: its CPU was counted by the stop
        }
        process = null;
        cpuEndedNanos += cpuRunningNanos;
        cpuRunningNanos = 0;
        Duration ran = Duration.ofNanos(System.nanoTime() - startedNanos);
        failed("ffmpeg (pid " + ended.pid() + ") exited with code " + ended.exitValue() + " after " + ran.toSeconds() + " s",
                ran);
    }

    private void failed(String what, Duration ran) {
        String output;
        synchronized (lines) {
            output = String.join("\n  ", lines);
            lines.clear();
        }
        lastError = what + (output.isEmpty() ? "" : ": " + output);
        Duration wait = backoff.afterRun(ran);
        long now = System.nanoTime();
        if (now - lastFullLog >= FULL_LOG_EVERY.toNanos()) {
            lastFullLog = now;
            log.warn("room {}: ladder {}; restarting in {} ms{}{}", roomId, what, wait.toMillis(),
                    quietFailures == 0 ? "" : " (" + quietFailures + " more failures since the last report)",
                    output.isEmpty() ? "" : "; last output:\n  " + output);
            quietFailures = 0;
        } else {
            quietFailures++;
            log.info("room {}: ladder {}; restarting in {} ms", roomId, what, wait.toMillis());
        }
        state = "restarting";
        pid = 0;
        restart = thread.schedule(() -> {
            restart = null;
            restarts++;
            again.run();
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new publish of the room: past failures no longer count toward the backoff. */
    void resetBackoff() {
        backoff.reset();
    }

    private void cancelRestart() {
        if (restart != null) {
            restart.cancel(false);
            restart = null;
        }
    }

    /** Reads the process's output until it ends: kept (last lines) and logged at debug. */
    private void read(Process p) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                log.debug("room {} ladder: {}", roomId, line);
                synchronized (lines) {
                    if (lines.size() == KEPT_LINES) {
                        lines.removeFirst();
                    }
                    lines.addLast(line.length() > 300 ? line.substring(0, 300) + "..." : line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Reads the running process's CPU time (kept for when it has ended). */
    void sampleCpu() {
        Process running = process;
        if (running != null) {
            sampleCpu(running);
        }
    }

    private void sampleCpu(Process p) {
        p.toHandle().info().totalCpuDuration().ifPresent(d -> cpuRunningNanos = Math.max(cpuRunningNanos, d.toNanos()));
    }

    LadderSnapshot snapshot() {
        return new LadderSnapshot(roomId, state, pid, rungs, skipped, restarts, lastError,
                (cpuEndedNanos + cpuRunningNanos) / 1e9);
    }

    /** The rung ids of the running process, for the supervisor's change check. */
    List<String> rungs() {
        return new ArrayList<>(rungs);
    }

    /** Kills the process at once (server stop). */
    void kill() {
        cancelRestart();
        Process running = process;
        process = null;
        if (running != null) {
            running.descendants().forEach(ProcessHandle::destroyForcibly);
            running.destroyForcibly();
        }
    }
}
