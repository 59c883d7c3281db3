package fluxrelay.cluster;

import fluxrelay.admin.AdminException;
import fluxrelay.admin.RevocationStore;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's attendee revocations in Redis: one key per attendee, {@code fluxrelay:revoked:{attendee}}, holding
 * when it was revoked and expiring when the attendee's tokens have (or after the configured default), so the list
 * does not grow for ever. Each change is announced on {@value #CHANNEL} ({@code +MILLIS ATTENDEE} or
 * {@code -ATTENDEE}) and applied by every node to its local copy at once; the whole list is read again whenever the
 * node (re)connects, so a restarted node or one that was cut off knows every revocation still in force.
 */
public final class RedisRevocations implements RevocationStore {

    /** Key prefix of the revocations. */
    public static final String PREFIX = "fluxrelay:revoked:";
    /** The channel announcing each change. */
    public static final String CHANNEL = "fluxrelay:revocations";
    static final String UNREACHABLE = "the room store (Redis) is unreachable: the revocation was not saved, retry when it is back";

    /** The node's copy of the list (its access policy's revocations). */
    public interface Local {
        /** Another node (or this one) revoked {@code attendee} at {@code at}. */
        void revoked(String attendee, Instant at);

        /** A revocation was lifted. */
        void restored(String attendee);

        /** The whole list as Redis holds it now (after a (re)connect). */
        void replaced(Map<String, Instant> all);
    }

    private static final Logger log = LoggerFactory.getLogger(RedisRevocations.class);

    private final RedisLink redis;
    private final Local local;
    private final Duration keep;
    private final Clock clock;

    /**
     * @param redis the node's connection; this subscribes to {@value #CHANNEL} and reloads on every connect
     * @param local the node's copy
     * @param keep how long a revocation made without an end is kept
     */
    public RedisRevocations(RedisLink redis, Local local, Duration keep, Clock clock) {
        this.redis = redis;
        this.local = local;
        this.keep = keep;
        this.clock = clock;
        redis.subscribe(CHANNEL, this::announced);
        redis.onConnected(this::reload);
    }

    @Override
    public CompletableFuture<Void> revoke(String attendee, Instant at, Instant until) {
        long ttl = until == null ? keep.toMillis() : Math.max(1, Duration.between(clock.instant(), until).toMillis());
        return redis.call(c -> c.set(PREFIX + attendee, at.toString(), SetArgs.Builder.px(ttl)))
                .thenCompose(ok -> redis.call(c -> c.publish(CHANNEL, "+" + at.toEpochMilli() + " " + attendee)))
                .<Void>thenApply(n -> null)
                .exceptionallyCompose(RedisRevocations::unreachable);
    }

    @Override
    public CompletableFuture<Boolean> restore(String attendee) {
        return redis.call(c -> c.del(PREFIX + attendee))
                .thenCompose(deleted -> redis.call(c -> c.publish(CHANNEL, "-" + attendee)).thenApply(n -> deleted > 0))
                .exceptionallyCompose(RedisRevocations::unreachable);
    }

    private static <T> CompletableFuture<T> unreachable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.warn("cluster: revocation change not stored: {}", cause.getMessage());
        return CompletableFuture.failedFuture(AdminException.unavailable(UNREACHABLE));
    }

    /** Applies one announced change. */
    private void announced(String message) {
        if (message.startsWith("-") && message.length() > 1) {
            local.restored(message.substring(1));
            return;
        }
        int space = message.indexOf(' ');
        if (!message.startsWith("+") || space < 2 || space == message.length() - 1) {
            log.warn("cluster: revocation announcement not understood, ignored");
            return;
        }
        try {
            local.revoked(message.substring(space + 1), Instant.ofEpochMilli(Long.parseLong(message.substring(1, space))));
        } catch (NumberFormatException e) {
            log.warn("cluster: revocation announcement not understood, ignored");
        }
    }

    /** Reads the whole list again. */
    public CompletableFuture<Void> reload() {
        return keys(ScanCursor.INITIAL, new ArrayList<>()).thenCompose(keys -> keys.isEmpty()
                ? CompletableFuture.completedFuture(List.<KeyValue<String, String>>of())
                : redis.call(c -> c.mget(keys.toArray(String[]::new)))).thenAccept(values -> {
                    Map<String, Instant> all = new HashMap<>();
                    for (KeyValue<String, String> value : values) {
                        if (value.hasValue()) {
                            all.put(value.getKey().substring(PREFIX.length()), parse(value.getValue()));
                        }
                    }
                    local.replaced(all);
                    log.info("cluster: {} attendee revocations loaded from Redis", all.size());
                }).whenComplete((v, error) -> {
                    if (error != null) {
                        log.warn("cluster: cannot load the attendee revocations from Redis: {}", error.getMessage());
                    }
                });
    }

    private Instant parse(String at) {
        try {
            return Instant.parse(at);
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }

    private CompletableFuture<List<String>> keys(ScanCursor cursor, List<String> found) {
        return redis.call(c -> c.scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(1000))).thenCompose(page -> {
            found.addAll(((KeyScanCursor<String>) page).getKeys());
            return page.isFinished() ? CompletableFuture.completedFuture(found) : keys(page, found);
        });
    }
}
