package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own start ({@code fluxrelay.RelayServer --config FILE}, a separate JVM) with mistyped keys in the file
 * and in a {@code CONFIG_FORCE_} variable: it prints "configuration error:" with each key and exits 2, while the
 * overrides of real keys beside them pass. A weak demo key from the environment, and a rooms file with a weak key or
 * a room a constructor refuses, end the same way: "configuration error:" and exit 2, never a stack trace.
 */
class ConfigErrorAtStartTest {

    @Test
    void aMistypedKeyStopsTheStartWithTheKeyItMeant(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("relay.conf");
        Files.writeString(conf, "relay.hls.taget-duration = 4s\n");
        Path output = dir.resolve("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "fluxrelay.RelayServer",
                "--config", conf.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("CONFIG_FORCE_relay_rtmp_prot", "1936");
        builder.environment().put("CONFIG_FORCE_relay_rtmp_port", "0");
        builder.environment().put("RELAY_HTTP_PORT", "0");
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server exits on a configuration error");
            String printed = Files.readString(output);
            assertEquals(2, process.exitValue(), printed);
            assertTrue(printed.contains("configuration error: "), printed);
            assertTrue(printed.contains("relay.hls.taget-duration: unknown key, did you mean relay.hls.target-duration?"), printed);
            assertTrue(printed.contains("relay.rtmp.prot: unknown key, did you mean relay.rtmp.port?"), printed);
            assertFalse(printed.contains("relay.rtmp.port:"), printed);
            assertFalse(printed.contains("relay.http"), printed);
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWeakDemoKeyFromTheEnvironmentStopsTheStart(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("relay.conf");
        Files.writeString(conf, "relay.hls.enabled = false\n");
        String printed = refusedStart(dir, conf, "RELAY_DEMO_STREAM_NAME", "my-key");
        assertTrue(printed.contains("configuration error: relay.demo-room.stream-name: a stream name must be at least 16 characters"),
                printed);
    }

    @Test
    void aRoomsFileWithAWeakKeyOrABrokenRoomStopsTheStartNamingTheRoom(@TempDir Path dir) throws Exception {
        Path rooms = dir.resolve("rooms.json");
        Path conf = dir.resolve("relay.conf");
        Files.writeString(conf, "relay.admin.rooms-file = \"" + rooms.toString().replace("\\", "\\\\") + "\"\n"
                + "relay.hls.enabled = false\n");
        Files.writeString(rooms, "{ \"version\": 1, \"rooms\": [ { \"id\": \"old\", \"streamName\": \"old-key\" } ] }");
        String weak = refusedStart(dir, conf, "RELAY_DEMO_ENABLED", "false");
        assertTrue(weak.contains("configuration error: rooms file " + rooms + ": room 'old': a stream name must be at least 16"), weak);
        // A room the Room constructor refuses (no input) is a configuration error too, not a stack trace.
        Files.writeString(rooms, "{ \"version\": 1, \"rooms\": [ { \"id\": \"old\", \"inputs\": [] } ] }");
        String broken = refusedStart(dir, conf, "RELAY_DEMO_ENABLED", "false");
        assertTrue(broken.contains("configuration error: room old has no feed"), broken);
        assertFalse(broken.contains("Exception in thread"), broken);
    }

    /** Starts the server with {@code conf} and one environment variable; returns what it printed once it exited 2. */
    private static String refusedStart(Path dir, Path conf, String variable, String value) throws Exception {
        Path output = dir.resolve("output-" + System.nanoTime() + ".txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "fluxrelay.RelayServer",
                "--config", conf.toString()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("RELAY_RTMP_PORT", "0");
        builder.environment().put("RELAY_HTTP_PORT", "0");
        builder.environment().put(variable, value);
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server exits on a configuration error");
            String printed = Files.readString(output);
            assertEquals(2, process.exitValue(), printed);
            return printed;
        } finally {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
