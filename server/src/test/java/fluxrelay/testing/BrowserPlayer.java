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
        return play(playlistUrl, lowLatency, catchUp, clockEpochMs, seconds, startTimeoutSeconds, null);
    }

    /**
     * As above; {@code startedFile} (unless null) is created once playback started and sampling began, for a test
     * acting on the stream while the page plays (a switch of the program). With {@code clockEpochMs} 0 the page
     * records instead each change of the picture between solid red and anything else ({@code colours}).
     */
    public static Result play(String playlistUrl, boolean lowLatency, double catchUp, long clockEpochMs, int seconds,
                              int startTimeoutSeconds, Path startedFile) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(onPath("node").toString(), HARNESS.resolve("play.js").toString(),
                "--url", playlistUrl, "--epoch", String.valueOf(clockEpochMs), "--seconds", String.valueOf(seconds),
                "--start-timeout", String.valueOf(startTimeoutSeconds), "--catch-up", String.valueOf(catchUp),
                "--chromium", CHROMIUM.toString()));
        if (!lowLatency) {
            command.add("--no-low-latency");
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

    private static Path onPath(String name) {
        return Requirements.executable(name).orElse(null);
    }
}
