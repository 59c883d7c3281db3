package fluxrelay.cluster;

import fluxrelay.testing.ServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} (the Debian package) on a free loopback port, without persistence, for the cluster
 * tests; stopped by {@link #close()}. Tests that need it skip when the executable is missing only if they say so:
 * these do not, {@code .ci/run} installs it.
 */
final class RedisTestServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;
    private final List<RedisClient> clients = new ArrayList<>();

    private RedisTestServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    static RedisTestServer start() throws IOException {
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("redis-test");
        Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisTestServer server = new RedisTestServer(process, port, dir);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(server::pings);
        return server;
    }

    private boolean pings() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    int port() {
        return port;
    }

    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A new connection, closed with the server. */
    StatefulRedisConnection<String, String> connect() {
        RedisClient client = RedisClient.create(RedisURI.create(uri()));
        clients.add(client);
        return client.connect();
    }

    @Override
    public void close() throws Exception {
        for (RedisClient client : clients) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
