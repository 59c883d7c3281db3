package fluxrelay.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a real client such as rtmpdump or Chromium, a checker such as promtool,
 * root for network namespaces). Where it is missing the test is skipped with the reason, on a developer's
 * machine; when the environment variable {@code CI} is set (non-empty) it fails instead, so that a CI run
 * missing a tool cannot pass by skipping what it was meant to prove. {@code .ci/run} installs them all.
 */
public final class Requirements {

    private Requirements() {
    }

    /** True when the environment variable {@code CI} is set and not empty. */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty();
    }

    /** Skips the calling test (or, under CI, fails it) unless {@code present}; {@code what} names what is missing. */
    public static void require(boolean present, String what) {
        if (!present) {
            unavailable(what);
        }
    }

    /** Skips the calling test (or, under CI, fails it) with {@code reason}: something it needs is not there. */
    public static void unavailable(String reason) {
        if (inCi()) {
            Assertions.fail(reason + "; CI must provide it (see .ci/run)");
        }
        Assumptions.abort(reason);
    }

    /**
     * The executable {@code name} found on PATH (or, for an absolute path, that file), skipping the calling test
     * (or, under CI, failing it) when there is none; {@code install} says how to get it, e.g. {@code apt-get
     * install rtmpdump}.
     */
    public static Path tool(String name, String install) {
        return executable(name).orElseGet(() -> {
            unavailable(name + " is not installed (" + install + ")");
            throw new IllegalStateException("unreachable");
        });
    }

    /** The executable {@code name} on PATH (or, for an absolute path, that file), if there is one. */
    public static Optional<Path> executable(String name) {
        if (name.contains(File.separator)) {
            Path path = Path.of(name);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
