package fluxrelay.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON events to the platform, asynchronously (never on an event loop thread's time): decisions
 * once within the timeout, notifications with retries and exponential backoff.
 */
final class WebhookClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookClient.class);

    private final HttpClient http;
    private final Duration timeout;
    private final ScheduledExecutorService retries;
    private final ObjectMapper json = new ObjectMapper();

    WebhookClient(Duration timeout, Executor executor, ScheduledExecutorService retries) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
        this.timeout = timeout;
        this.retries = retries;
    }

    /** One attempt; completes with the response (any status) or exceptionally. */
    CompletableFuture<HttpResponse<String>> post(URI uri, Map<String, Object> event) {
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "fluxrelay").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A notification: retried on failure or 5xx, {@code retries} more times with doubling backoff. */
    void notify(URI uri, Map<String, Object> event, int retriesLeft, Duration backoff) {
        post(uri, event).whenComplete((response, error) -> {
            boolean failed = error != null || response.statusCode() >= 500;
            if (!failed) {
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (retriesLeft <= 0) {
                log.warn("webhook {} for {} failed, giving up: {}", event.get("action"), uri, why);
                return;
            }
            log.info("webhook {} for {} failed ({}), retrying in {} ms", event.get("action"), uri, why, backoff.toMillis());
            retries.schedule(() -> notify(uri, event, retriesLeft - 1, backoff.multipliedBy(2)), backoff.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    /** Reads a JSON object body, or an empty map when there is none or it is not an object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        try {
            Object value = json.readValue(text, Object.class);
            return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
