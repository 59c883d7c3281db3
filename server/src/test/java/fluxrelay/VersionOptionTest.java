package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code --version} and {@code -V} print the version and return without starting anything. */
class VersionOptionTest {

    private static String run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            RelayServer.main(args);
        } finally {
            System.setOut(out);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheVersionAndReturns() {
        String expected = "fluxrelay " + RelayServer.version() + System.lineSeparator();
        assertEquals(expected, run("--version"));
        assertEquals(expected, run("-V"));
    }
}
