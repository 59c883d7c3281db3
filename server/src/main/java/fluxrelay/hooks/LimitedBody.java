package fluxrelay.hooks;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A webhook answer's body as UTF-8 text, read up to {@code maxBytes} and within {@code timeout}: a longer answer is
 * cut off (the rest is never read, the connection is dropped) and reads as null, so a platform answering with a huge
 * or endless body costs at most the bound in memory and the timeout in time.
 */
final class LimitedBody implements HttpResponse.BodyHandler<String> {

    private final int maxBytes;
    private final Duration timeout;

    LimitedBody(int maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
        long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
        return new Subscriber(declared > maxBytes ? 0 : maxBytes, timeout);
    }

    /** Collects the body; gives up (null) past the bound, fails past the timeout. */
    private static final class Subscriber implements HttpResponse.BodySubscriber<String> {

        private final int maxBytes;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Subscriber(int maxBytes, Duration timeout) {
            this.maxBytes = maxBytes;
            result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((text, error) -> {
                Flow.Subscription current = subscription;
                if (error != null && current != null) {
                    current.cancel();
                }
            });
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (maxBytes == 0) {
                subscription.cancel(); // declared longer than the bound: not a byte is read
                result.complete(null);
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (bytes.size() + item.remaining() > maxBytes) {
                    subscription.cancel();
                    result.complete(null);
                    return;
                }
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
