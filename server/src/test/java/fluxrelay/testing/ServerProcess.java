package fluxrelay.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * The server as a separate JVM process (this test run's classpath), for tests that need a real process: signals,
 * {@code kill -9}, restarts over the same files.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    /** A loopback port that was free a moment ago, for a config file the child process reads. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts {@code fluxrelay.RelayServer --config conf}, its output going to {@code log}. */
    public static Process start(Path conf, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "fluxrelay.RelayServer", "--config",
                conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
