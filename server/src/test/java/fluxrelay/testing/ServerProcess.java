package fluxrelay.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        return start(conf, log, List.of());
    }

    /** The same with JVM options, e.g. the heap and direct memory sizes of a container. */
    public static Process start(Path conf, Path log, List<String> jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "fluxrelay.RelayServer", "--config",
                conf.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
