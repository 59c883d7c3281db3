package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keeps the codecs pure (house style): {@code media.codec} imports only {@code fluxrelay.media}
 * and Netty buffers, {@code flv} adds {@code media.codec} and never reaches into RTMP; the TS and fMP4
 * writers know no rooms, and HLS reaches neither HTTP, RTMP nor config. Reads the
 * main sources from the module directory Maven runs tests in.
 */
class PackageDependencyTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "fluxrelay/media/codec; java.util., io.netty.buffer., fluxrelay.media.AudioCodec, fluxrelay.media.AudioFrame, "
                + "fluxrelay.media.MediaFrame, fluxrelay.media.VideoCodec, fluxrelay.media.VideoFrame",
        "fluxrelay/flv;         java.util., java.nio.charset., io.netty.buffer., fluxrelay.media.",
        "fluxrelay/hls/ts;      java.util., io.netty.buffer., fluxrelay.media.",
        "fluxrelay/hls/fmp4;    java.util., java.nio.charset., io.netty.buffer.",
        "fluxrelay/hls;         java., io.netty.buffer., io.netty.util., org.slf4j., fluxrelay.media., fluxrelay.stream., "
                + "fluxrelay.hls.ts., fluxrelay.hls.fmp4.",
    })
    void importsOnlyWhatItMay(String packageDir, String allowedList) throws IOException {
        List<String> allowed = List.of(allowedList.split(",\\s*"));
        Path dir = Path.of("src/main/java").resolve(packageDir);
        assertTrue(Files.isDirectory(dir), dir.toAbsolutePath().toString());
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    String trimmed = line.trim();
                    if (trimmed.startsWith("import ")) {
                        String imported = trimmed.substring(7).replace("static ", "");
                        if (allowed.stream().noneMatch(imported::startsWith)) {
                            violations.add(file.getFileName() + ": " + trimmed);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
