package fluxrelay.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a round-robin HTTP load balancer in front of several nodes, as a player meets a cluster behind
 * one: no caching, no stickiness, so a player's successive requests go to the nodes in turn. It listens on a
 * loopback port that was free, with its config, logs and temporary files in a directory of the test's; the access
 * log names the upstream that answered each request ({@link #requests}). {@link #close} stops it. Where nginx is
 * missing the test is skipped (under CI: fails; {@code .ci/run} installs it).
 */
public final class NginxBalancer implements AutoCloseable {

    /** One node behind the balancer: its HTTP port on 127.0.0.1 and its round-robin weight. */
    public record Upstream(int port, int weight) {
    }

    /** One line of the access log: the request's path and query, its status, the upstream that answered. */
    public record Request(String uri, int status, String upstream) {
    }

    private final Path dir;
    private final int port;
    private final Process process;

    private NginxBalancer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts nginx balancing (weighted) round robin over {@code upstreams}; waits until it accepts connections. nginx's
     * smooth weighted round robin spreads a heavier node's turns between the others' (weights 2 and 1: A B A A B A).
     */
    public static NginxBalancer start(Path dir, Upstream... upstreams) throws IOException {
        Path nginx = Requirements.executable("nginx").or(() -> Requirements.executable("/usr/sbin/nginx"))
                .orElseGet(() -> {
                    Requirements.unavailable("nginx is not installed (apt-get install nginx)");
                    throw new IllegalStateException("unreachable");
                });
        Files.createDirectories(dir.resolve("temp"));
        int port = ServerProcess.freePort();
        StringBuilder servers = new StringBuilder();
        for (Upstream upstream : upstreams) {
            servers.append("    server 127.0.0.1:").append(upstream.port()).append(" weight=").append(upstream.weight()).append(";\n");
        }
        String temp = dir.resolve("temp").toString();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, "daemon off;\nmaster_process off;\nworker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n"
                + "  log_format upstreams '$request_uri $status $upstream_addr';\n"
                + "  access_log " + dir.resolve("access.log") + " upstreams;\n"
                + "  client_body_temp_path " + temp + "/body;\n  proxy_temp_path " + temp + "/proxy;\n"
                + "  fastcgi_temp_path " + temp + "/fastcgi;\n  uwsgi_temp_path " + temp + "/uwsgi;\n  scgi_temp_path " + temp + "/scgi;\n"
                + "  upstream relay {\n" + servers + "  }\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + ";\n"
                + "    location / {\n"
                + "      proxy_pass http://relay;\n"
                + "      proxy_http_version 1.1;\n"
                + "      proxy_set_header Connection \"\";\n"
                // Blocking low-latency reloads wait at the origin for their part; give them time.
                + "      proxy_read_timeout 60s;\n"
                // An answer that fails on one node is not retried on the other: the player sees what the node said.
                + "      proxy_next_upstream off;\n"
                + "    }\n"
                + "  }\n"
                + "}\n");
        Process process = new ProcessBuilder(List.of(nginx.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile())).start();
        NginxBalancer balancer = new NginxBalancer(dir, port, process);
        try {
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("nginx.out"))
                            + Files.readString(dir.resolve("error.log")));
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                    return true;
                }
            });
        } catch (RuntimeException e) {
            balancer.close();
            throw e;
        }
        return balancer;
    }

    /** An URL through the balancer, {@code path} starting with a slash. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Every request logged so far. */
    public List<Request> requests() throws IOException {
        Path log = dir.resolve("access.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        List<Request> requests = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            String[] fields = line.split(" ");
            if (fields.length >= 3) {
                requests.add(new Request(fields[0], Integer.parseInt(fields[1]), fields[2]));
            }
        }
        return requests;
    }

    /** Stops nginx (SIGTERM, SIGKILL after 10 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
