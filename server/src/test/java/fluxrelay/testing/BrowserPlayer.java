package fluxrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/**
 * hls.js in Debian's headless Chromium, driven by playwright-core: the node harness under
 * {@code server/src/test/browser} ({@code play.js}), run as a bounded child process that prints one line of
 * JSON.
 *
 * <p>Needs {@code node}, {@code npm} and {@code /usr/bin/chromium} ({@code apt-get install nodejs npm
 * chromium}). The harness's {@code node_modules} is installed here with {@code npm ci} when missing or older
 * than {@code package-lock.json}, so {@code mvn verify} works on a fresh machine. Without the tools the
 * browser tests are skipped with the reason, or fail when the environment variable {@code CI} is set
 * ({@link Requirements}).
 */
public final class BrowserPlayer {

    private static final Path HARNESS = Path.of(System.getProperty("user.dir")).resolve("src/test/browser");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long NPM_CI_SECONDS = 300;

    private BrowserPlayer() {
    }

    /** What one play.js run printed. */
    public record Result(JsonNode json, String output) {
        /** A figure's summary ({n, p50, p90, min, max}, ms) by name, e.g. {@code behindEncoderMs}. */
        public JsonNode figure(String name) {
            return json.path(name);
        }
    }

    /** Skips (or, under CI, fails) the calling test unless node, npm and Chromium are there; installs the harness. */
    public static synchronized void requireReady() throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        if (onPath("node") == null) {
            missing.add("node (apt-get install nodejs)");
        }
        if (onPath("npm") == null) {
            missing.add("npm (apt-get install npm)");
        }
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add(CHROMIUM + " (apt-get install chromium)");
        }
        if (!missing.isEmpty()) {
            Requirements.unavailable("browser tests need " + String.join(", ", missing));
        }
        Path installed = HARNESS.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed)
                || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(HARNESS.resolve("package-lock.json"))) < 0) {
            try (Ffmpeg.Run npm = Ffmpeg.startProcess(List.of(onPath("npm").toString(), "ci", "--no-audit", "--no-fund",
                    "--prefix", HARNESS.toString()))) {
                int exit = npm.await(NPM_CI_SECONDS);
                if (exit != 0) {
                    Requirements.unavailable("npm ci --prefix " + HARNESS + " failed (exit " + exit + "): " + npm.output());
                }
            }
        }
    }

    /**
     * Plays {@code playlistUrl} for {@code seconds} once playback started (at most {@code startTimeoutSeconds}
     * after the page loads), hls.js in low-latency mode if asked and with {@code maxLiveSyncPlaybackRate}
     * {@code catchUp} (1, hls.js's default, never speeds up). {@code clockEpochMs}: what the publisher's
     * {@link BurntInClock} counts from.
     */
    public static Result play(String playlistUrl, boolean lowLatency, double catchUp, long clockEpochMs, int seconds,
                              int startTimeoutSeconds) throws IOException, InterruptedException {
        return run(playlistUrl, lowLatency, catchUp, clockEpochMs, seconds, startTimeoutSeconds, null, null);
    }

    /**
     * As above; {@code startedFile} (unless null) is created once playback started and sampling began, for a test
     * acting on the stream while the page plays (a switch of the program). With {@code clockEpochMs} 0 the page
     * records instead each change of the picture between solid red and anything else ({@code colours}).
     */
    public static Result play(String playlistUrl, boolean lowLatency, double catchUp, long clockEpochMs, int seconds,
                              int startTimeoutSeconds, Path startedFile) throws IOException, InterruptedException {
        return run(playlistUrl, lowLatency, catchUp, clockEpochMs, seconds, startTimeoutSeconds, null, startedFile);
    }

    /**
     * Plays a video on demand ({@code playlistUrl}) and, once frames were presented, seeks to {@code fraction} of its
     * duration, then samples {@code seconds}: the result's {@code seek} holds the duration, the target, and the first
     * frames read before and after the seek, each {@code {encoder, mediaTime}} ({@code encoder}: the burnt-in clock).
     */
    public static Result playAndSeek(String playlistUrl, long clockEpochMs, double fraction, int seconds,
                                     int startTimeoutSeconds) throws IOException, InterruptedException {
        return run(playlistUrl, false, 1, clockEpochMs, seconds, startTimeoutSeconds, fraction, null);
    }

    private static Result run(String playlistUrl, boolean lowLatency, double catchUp, long clockEpochMs, int seconds,
                              int startTimeoutSeconds, Double seek, Path startedFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(onPath("node").toString(), HARNESS.resolve("play.js").toString(),
                "--url", playlistUrl, "--epoch", String.valueOf(clockEpochMs), "--seconds", String.valueOf(seconds),
                "--start-timeout", String.valueOf(startTimeoutSeconds), "--catch-up", String.valueOf(catchUp),
                "--chromium", CHROMIUM.toString()));
        if (!lowLatency) {
            command.add("--no-low-latency");
        }
        if (seek != null) {
            command.add("--seek");
            command.add(String.valueOf(seek));
        }
        if (startedFile != null) {
            command.addAll(List.of("--started-file", startedFile.toString()));
        }
        try (Ffmpeg.Run node = Ffmpeg.startProcess(command)) {
            int exit = node.await(seconds + startTimeoutSeconds + 60L);
            String output = node.output();
            String line = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("play.js printed no JSON (exit " + exit + "):\n" + output));
            JsonNode json = new ObjectMapper().readTree(line);
            Assertions.assertEquals(0, exit, () -> "play.js failed: " + json.path("error").asText() + "\n" + output);
            return new Result(json, output);
        }
    }

    /**
     * Starts another script of the harness ({@code script}, e.g. {@code pages.js}) with {@code args} and the browser's
     * path; the caller waits for it (it prints one line of JSON, as play.js) and stops it by closing the run.
     */
    public static Ffmpeg.Run startScript(String script, List<String> args) throws IOException {
        return Ffmpeg.startProcess(scriptCommand(script, args));
    }

    /** The command that runs harness script {@code script} with {@code args} and the browser's path (to run elsewhere, e.g. in a namespace). */
    public static List<String> scriptCommand(String script, List<String> args) {
        List<String> command = new ArrayList<>(List.of(onPath("node").toString(), HARNESS.resolve(script).toString()));
        command.addAll(args);
        command.addAll(List.of("--chromium", CHROMIUM.toString()));
        return command;
    }

    /** The last JSON line a harness script printed. */
    public static JsonNode lastJson(String output) throws IOException {
        String line = output.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("the script printed no JSON:\n" + output));
        return new ObjectMapper().readTree(line);
    }

    private static Path onPath(String name) {
        return Requirements.executable(name).orElse(null);
    }
}
