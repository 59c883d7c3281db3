package fluxrelay.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.Loader;

/**
 * The real ffmpeg and ffprobe 7.1.1 executables that Maven brings ({@code org.bytedeco:ffmpeg}), so tests
 * need only a JDK and Maven. Every process started is bounded in time and killed on close.
 */
public final class Ffmpeg {

    private static volatile String ffmpeg;
    private static volatile String ffprobe;

    private Ffmpeg() {
    }

    /** Path of the ffmpeg executable. */
    public static synchronized String ffmpeg() {
        if (ffmpeg == null) {
            ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        }
        return ffmpeg;
    }

    /** Path of the ffprobe executable. */
    public static synchronized String ffprobe() {
        if (ffprobe == null) {
            ffprobe = Loader.load(org.bytedeco.ffmpeg.ffprobe.class);
        }
        return ffprobe;
    }

    /** A started process with its output captured to a file; {@link #close()} kills it. */
    public static final class Run implements AutoCloseable {
        private final Process process;
        private final Path output;

        Run(Process process, Path output) {
            this.process = process;
            this.output = output;
        }

        /** Waits for the exit at most {@code seconds}; returns the exit code, or -1 on time-out (process killed). */
        public int await(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                close();
                return -1;
            }
            return process.exitValue();
        }

        /** The process id, for signals a test sends (a frozen encoder: STOP). */
        public long pid() {
            return process.pid();
        }

        /** True while running. */
        public boolean alive() {
            return process.isAlive();
        }

        /** stdout and stderr so far. */
        public String output() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }

        /** Kills the process at once with SIGKILL, as a crashing encoder or a pulled cable ends a stream. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }

        /** Kills the process (forcibly if it does not stop within 2 s) and its children. */
        @Override
        public void close() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts {@code ffmpeg} with the arguments (banner hidden, stdin closed). */
    public static Run startFfmpeg(String... args) throws IOException {
        return start(ffmpeg(), args);
    }

    /** Starts {@code ffprobe} with the arguments. */
    public static Run startFfprobe(String... args) throws IOException {
        return start(ffprobe(), args);
    }

    /** Starts any command the same way (output captured, stdin closed, killed on close). */
    public static Run startProcess(List<String> command) throws IOException {
        Path log = Files.createTempFile("process-", ".log");
        log.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Run(process, log);
    }

    private static Run start(String exe, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(exe);
        command.add("-hide_banner");
        if (exe.equals(ffmpeg)) {
            command.add("-nostdin");
        }
        command.addAll(List.of(args));
        Path log = Files.createTempFile("ffmpeg-", ".log");
        log.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Run(process, log);
    }
}
