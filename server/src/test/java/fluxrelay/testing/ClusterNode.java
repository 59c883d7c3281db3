package fluxrelay.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One cluster node as its own server process for multi-node tests: loopback RTMP and HTTP ports that were free,
 * a config file naming the node, a shared redis-server and secret, plus whatever the test adds; its output goes to
 * {@code {id}.log} in the test's directory. {@link #start} waits until the node is ready; {@link #close} stops it
 * (SIGTERM, then SIGKILL after 20 s), {@link #kill} is {@code kill -9}.
 */
public final class ClusterNode implements AutoCloseable {

    private final String id;
    private final int rtmp;
    private final int http;
    private final Path dir;
    private final Path conf;
    private Process process;

    private ClusterNode(String id, int rtmp, int http, Path dir, Path conf) {
        this.id = id;
        this.rtmp = rtmp;
        this.http = http;
        this.dir = dir;
        this.conf = conf;
    }

    /**
     * Writes the node's config file without starting it.
     *
     * @param extra more HOCON lines (e.g. {@code relay.hls.enabled = false}, {@code relay.cluster.lease-ttl = 2s})
     */
    public static ClusterNode configure(Path dir, String id, RedisServer redis, String secret, String extra) throws IOException {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve(id + ".conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.cluster { enabled = true, node-id = " + id + ", advertise-host = 127.0.0.1, redis-uri = \""
                + redis.uri() + "\", secret = \"" + secret + "\" }\n"
                + extra + "\n");
        return new ClusterNode(id, rtmp, http, dir, conf);
    }

    /** Configures and starts a node, waiting (at most 30 s) until it is ready. */
    public static ClusterNode start(Path dir, String id, RedisServer redis, String secret, String extra) throws Exception {
        return configure(dir, id, redis, secret, extra).start();
    }

    /** Starts (or restarts) the node's process and waits, at most 30 s, until {@code /health/ready} answers 200. */
    public ClusterNode start() throws Exception {
        process = ServerProcess.start(conf, log());
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Http.get(url("/health/ready")).statusCode() == 200);
        return this;
    }

    public String id() {
        return id;
    }

    public int rtmp() {
        return rtmp;
    }

    public int http() {
        return http;
    }

    /** The running process (null before {@link #start}). */
    public Process process() {
        return process;
    }

    /** The node's output. */
    public Path log() {
        return dir.resolve(id + ".log");
    }

    /** An HTTP URL on the node, {@code path} starting with a slash. */
    public String url(String path) {
        return "http://127.0.0.1:" + http + path;
    }

    /** An RTMP URL on the node's {@code live} application. */
    public String rtmpUrl(String name) {
        return "rtmp://127.0.0.1:" + rtmp + "/live/" + name;
    }

    /** The node's Prometheus exposition now. */
    public String metrics() throws Exception {
        return Http.get(url("/metrics")).body();
    }

    /** {@code kill -9}: the node dies without a word to Redis or its peers. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Stops the node as an orchestrator does: SIGTERM, SIGKILL if it is still there after 20 s. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
