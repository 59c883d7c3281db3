package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps {@code fluxrelay.bandwidth} protocol-neutral: the JDK and Netty buffers only, no RTMP, HTTP or channels. */
class BandwidthPackageTest {

    private static final List<String> ALLOWED = List.of("java.", "javax.crypto.", "io.netty.buffer.");

    @Test
    void importsOnlyTheJdkAndNettyBuffers() throws IOException {
        Path dir = Path.of("src/main/java/fluxrelay/bandwidth");
        assertTrue(Files.isDirectory(dir), dir.toAbsolutePath().toString());
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("import ") && ALLOWED.stream().noneMatch(trimmed.substring(7).replace("static ", "")::startsWith)) {
                        violations.add(file.getFileName() + ": " + trimmed);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
