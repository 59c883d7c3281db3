package fluxrelay.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link WebhookClient} against a local platform that is slow, failing or long-winded: a timed-out notification is
 * sent once, failures are retried a bounded number of times, and answers are read only up to the bound.
 */
class WebhookClientTest {

    private static final Map<String, Object> EVENT = Map.of("action", "play", "room", "demo");

    private final ExecutorService platformThreads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger posts = new AtomicInteger();
    private HttpServer platform;
    private WebhookClient client;

    @BeforeEach
    void start() throws IOException {
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.setExecutor(platformThreads);
        platform.createContext("/slow", exchange -> {
            posts.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS); // answers only once the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, new byte[0]);
        });
        platform.createContext("/failing", exchange -> {
            posts.incrementAndGet();
            answer(exchange, 503, new byte[0]);
        });
        platform.createContext("/small", exchange -> answer(exchange, 200, "{\"room\":\"demo\"}".getBytes(StandardCharsets.UTF_8)));
        platform.createContext("/declared-huge", exchange -> answer(exchange, 200, new byte[1 << 20]));
        platform.createContext("/endless", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked, no length
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 3200; i++) { // 200 MiB unless the client stops reading first
                    out.write(chunk);
                }
            } catch (IOException clientLeft) {
                // expected: the client stops reading at its bound
            }
        });
        platform.start();
        client = new WebhookClient(Duration.ofMillis(500), 64 * 1024, Executors.newCachedThreadPool(),
                Executors.newSingleThreadScheduledExecutor());
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException clientLeft) {
            // the client may stop reading a long answer
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        platform.stop(0);
        platformThreads.shutdownNow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + platform.getAddress().getPort() + path);
    }

    @Test
    void aTimedOutNotificationIsSentOnce() throws Exception {
        client.notify(uri("/slow"), EVENT, 3, Duration.ofMillis(10)).get(20, TimeUnit.SECONDS);
        assertEquals(1, posts.get(), "one POST for one event, however slow the platform");
    }

    @Test
    void failuresAreRetriedABoundedNumberOfTimes() throws Exception {
        client.notify(uri("/failing"), EVENT, 3, Duration.ofMillis(10)).get(20, TimeUnit.SECONDS);
        assertEquals(4, posts.get(), "the attempt and three retries");
    }

    @Test
    void answersAreReadUpToTheBound() throws Exception {
        HttpResponse<String> small = client.post(uri("/small"), EVENT).get(20, TimeUnit.SECONDS);
        assertEquals(Map.of("room", "demo"), client.body(small));

        HttpResponse<String> declared = client.post(uri("/declared-huge"), EVENT).get(20, TimeUnit.SECONDS);
        assertEquals(200, declared.statusCode(), "the status still counts");
        assertNull(declared.body(), "a body declared past the bound is not read");
        assertEquals(Map.of(), client.body(declared));

        HttpResponse<String> endless = client.post(uri("/endless"), EVENT).get(20, TimeUnit.SECONDS);
        assertNull(endless.body(), "an endless body is cut off at the bound");
        assertEquals(Map.of(), client.body(endless));
    }
}
