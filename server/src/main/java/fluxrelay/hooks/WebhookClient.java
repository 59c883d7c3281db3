package fluxrelay.hooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs JSON events to the platform, asynchronously (never on an event loop thread's time): decisions once within
 * the timeout, notifications with bounded retries and exponential backoff, one attempt at a time. Answer bodies
 * are read up to a bound ({@link LimitedBody}).
 */
final class WebhookClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookClient.class);

    private final HttpClient http;
    private final Duration timeout;
    private final int maxResponseBytes;
    private final ScheduledExecutorService retries;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param timeout for the answer's headers, and again for its body
     * @param maxResponseBytes largest answer body read; a longer one is cut off and reads as no body
     * @param executor where the HTTP client runs
     * @param retries where retries wait for their turn
     */
    WebhookClient(Duration timeout, int maxResponseBytes, Executor executor, ScheduledExecutorService retries) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
        this.retries = retries;
    }

    /**
     * One attempt; completes with the response (any status) or exceptionally. The body is null when the answer was
     * longer than the bound.
     */
    CompletableFuture<HttpResponse<String>> post(URI uri, Map<String, Object> event) {
        String body;
        try {
            body = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .header("User-Agent", "fluxrelay").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, new LimitedBody(maxResponseBytes, timeout));
    }

    /**
     * A notification: retried {@code retriesLeft} more times with doubling backoff when it could not be delivered or got
     * 5xx, each attempt after the previous one has ended. One that timed out is not retried: the platform may well have
     * it, and retrying a slow platform multiplies its load (a storm of POSTs per event).
     *
     * @return completes when the notification is delivered, refused or given up
     */
    CompletableFuture<Void> notify(URI uri, Map<String, Object> event, int retriesLeft, Duration backoff) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        attempt(uri, event, retriesLeft, backoff, done);
        return done;
    }

    private void attempt(URI uri, Map<String, Object> event, int retriesLeft, Duration backoff, CompletableFuture<Void> done) {
        post(uri, event).whenComplete((response, failure) -> {
            Throwable error = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (error == null && response.statusCode() < 500) {
                done.complete(null);
                return;
            }
            String why = error != null ? error.toString() : "HTTP " + response.statusCode();
            if (timedOut(error)) {
                log.warn("webhook {} for {} timed out after {} ms; not retried (the platform may have it)", event.get("action"), uri,
                        timeout.toMillis());
                done.complete(null);
            } else if (retriesLeft <= 0) {
                log.warn("webhook {} for {} failed, giving up: {}", event.get("action"), uri, why);
                done.complete(null);
            } else {
                log.info("webhook {} for {} failed ({}), retrying in {} ms", event.get("action"), uri, why, backoff.toMillis());
                try {
                    retries.schedule(() -> attempt(uri, event, retriesLeft - 1, backoff.multipliedBy(2), done), backoff.toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    done.complete(null);
                }
            }
        });
    }

    /** A request that reached the platform but got no (complete) answer in time, as opposed to one never delivered. */
    private static boolean timedOut(Throwable error) {
        return (error instanceof HttpTimeoutException && !(error instanceof HttpConnectTimeoutException))
                || error instanceof TimeoutException;
    }

    /** Reads a JSON object body, or an empty map when there is none, it was too long or it is not an object. */
    @SuppressWarnings("unchecked")
    Map<String, Object> body(HttpResponse<String> response) {
        String text = response.body();
        if (text == null) {
            log.warn("webhook answer from {} is longer than {} bytes: its body is ignored", response.uri(), maxResponseBytes);
            return Map.of();
        }
        if (text.isBlank()) {
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
