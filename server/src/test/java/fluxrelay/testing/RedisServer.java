package fluxrelay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} for cluster tests: on a loopback port that was free, with its files in a directory of
 * the test's; without persistence, or with an append-only file written at every change as a cluster's Redis has it
 * in production (then a restart keeps what was acknowledged). {@link #stop} and {@link #start} again keep the port, so clients see Redis go
 * away and come back. Where redis-server is missing the test is skipped (under CI: fails; {@code .ci/run}
 * installs it).
 */
public final class RedisServer implements AutoCloseable {

    private final Path executable;
    private final Path dir;
    private final int port;
    private final boolean persistent;
    private Process process;
    private final List<io.lettuce.core.RedisClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RedisServer(Path executable, Path dir, int port, boolean persistent) {
        this.executable = executable;
        this.dir = dir;
        this.port = port;
        this.persistent = persistent;
    }

    /** Starts a redis-server without persistence, keeping its files under {@code dir}; waits until it answers PING. */
    public static RedisServer start(Path dir) throws IOException {
        return start(dir, false);
    }

    /** Starts a redis-server, with an append-only file (fsync at every write) when {@code persistent}. */
    public static RedisServer start(Path dir, boolean persistent) throws IOException {
        Path executable = Requirements.tool("redis-server", "apt-get install redis-server");
        RedisServer server = new RedisServer(executable, dir, ServerProcess.freePort(), persistent);
        server.start();
        return server;
    }

    /** Starts (again) on the same port; waits until it answers PING. */
    public synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(dir);
        process = new ProcessBuilder(List.of(executable.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", persistent ? "yes" : "no", "--appendfsync", "always", "--dir", dir.toString(), "--protected-mode", "no"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: see " + dir.resolve("redis.log"));
            }
            return ping();
        });
    }

    /** Stops the server (SIGKILL: no shutdown save, as a crash) and waits for it to go. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The port it listens on (loopback). */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** True when the server answers PING with PONG. */
    public boolean ping() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readNBytes(7);
            return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    /** A new Lettuce connection to this server, shut down when the server is closed. */
    public io.lettuce.core.api.StatefulRedisConnection<String, String> connect() {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(io.lettuce.core.RedisURI.create(uri()));
        clients.add(client);
        return client.connect();
    }

    @Override
    public void close() throws InterruptedException {
        for (io.lettuce.core.RedisClient client : clients) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        stop();
    }
}
