package fluxrelay.cluster;

import fluxrelay.config.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * A node's connection to the cluster's Redis: one connection for commands and one for pub/sub, reconnected by
 * Lettuce after a loss, and retried here until the first connect succeeds (a node starts without Redis). While
 * disconnected, commands fail at once instead of queueing, so an admin write gets its answer (503) without waiting.
 * Every time a connection becomes active again the {@link #onConnected} listeners run, off Lettuce's threads, so
 * that state missed while away is reloaded.
 */
public final class RedisLink implements AutoCloseable {

    /** Told of every command's latency and outcome (for metrics). */
    public interface CommandObserver {
        void completed(long nanos, boolean failed);
    }

    /** A command refused because Redis cannot be reached now. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

    private final ClusterConfig config;
    private final RedisClient client;
    private volatile CommandObserver observer = (nanos, failed) -> { };
    private final ScheduledExecutorService tasks;
    private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<String>> channels = new ConcurrentHashMap<>();
    private final Disposable events;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;

    /**
     * @param config the cluster settings (Redis URI, password, heartbeat interval: also the reconnect period and
     *               twice the command timeout)
     */
    public RedisLink(ClusterConfig config) {
        this.config = config;
        Duration timeout = commandTimeout(config);
        RedisURI uri = RedisURI.create(config.redisUri());
        if (!config.redisPassword().isEmpty() && !config.redisUri().contains("@")) {
            uri.setAuthentication(config.redisPassword().toCharArray());
        }
        uri.setTimeout(timeout);
        if (!config.nodeId().isEmpty()) {
            uri.setClientName("fluxrelay-" + config.nodeId());
        }
        // Reconnect attempts back off from 20 ms to one heartbeat interval: a returning Redis is found within one.
        ClientResources resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), config.heartbeatInterval(), 2, TimeUnit.MILLISECONDS))
                .build();
        client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout).keepAlive(true).build())
                .build());
        tasks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster");
            thread.setDaemon(true);
            return thread;
        });
        events = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionActivatedEvent && connection != null) {
                tasks.execute(this::connected);
            }
        });
    }

    /** Tells {@code observer} of every command from now on (metrics). */
    public void observe(CommandObserver observer) {
        this.observer = observer;
    }

    /** How long a command may take: two heartbeat intervals, at least a second. */
    static Duration commandTimeout(ClusterConfig config) {
        Duration twice = config.heartbeatInterval().multipliedBy(2);
        return twice.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : twice;
    }

    /** Runs {@code listener} after every (re)connection, on the cluster thread. Register before {@link #start}. */
    public void onConnected(Runnable listener) {
        connectedListeners.add(listener);
    }

    /** Subscribes to a pub/sub channel; {@code handler} gets each message on Lettuce's thread. Register before {@link #start}. */
    public void subscribe(String channel, Consumer<String> handler) {
        channels.put(channel, handler);
    }

    /**
     * Connects, waiting at most one command timeout; when Redis cannot be reached the node goes on without it and
     * retries every heartbeat interval. Returns whether it is connected now.
     */
    public boolean start() {
        if (tryConnect()) {
            return true;
        }
        long period = config.heartbeatInterval().toMillis();
        tasks.schedule(new Runnable() {
            @Override
            public void run() {
                if (!closed && !tryConnect()) {
                    tasks.schedule(this, period, TimeUnit.MILLISECONDS);
                }
            }
        }, period, TimeUnit.MILLISECONDS);
        return false;
    }

    private synchronized boolean tryConnect() {
        if (connection != null) {
            return true;
        }
        StatefulRedisPubSubConnection<String, String> subscriber = null;
        try {
            subscriber = client.connectPubSub();
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    Consumer<String> handler = channels.get(channel);
                    if (handler != null) {
                        handler.accept(message);
                    }
                }
            });
            if (!channels.isEmpty()) {
                subscriber.sync().subscribe(channels.keySet().toArray(String[]::new));
            }
            pubSub = subscriber;
            connection = client.connect();
        } catch (RuntimeException e) {
            if (subscriber != null) {
                subscriber.closeAsync();
            }
            log.warn("cluster: Redis at {} unreachable ({}); retrying", config.redactedUri(), e.getMessage());
            return false;
        }
        log.info("cluster: connected to Redis at {}", config.redactedUri());
        tasks.execute(this::connected);
        return true;
    }

    private void connected() {
        for (Runnable listener : connectedListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.warn("cluster: after connecting to Redis: {}", e.toString());
            }
        }
    }

    /** Whether the command connection is up now. */
    public boolean reachable() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /** The cluster's own thread (reconnects, reloads, heartbeats): never blocks on Redis. */
    public ScheduledExecutorService tasks() {
        return tasks;
    }

    /**
     * Runs one asynchronous command, timed and counted; fails with {@link Unreachable} when Redis cannot be reached
     * (not connected yet, connection lost, timed out).
     */
    public <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            observer.completed(0, true);
            return CompletableFuture.failedFuture(new Unreachable("not connected to Redis", null));
        }
        long start = System.nanoTime();
        CompletableFuture<T> result = new CompletableFuture<>();
        RedisFuture<T> future;
        try {
            future = command.apply(c.async());
        } catch (RuntimeException e) {
            observer.completed(System.nanoTime() - start, true);
            return CompletableFuture.failedFuture(new Unreachable(e.getMessage(), e));
        }
        future.whenComplete((value, error) -> {
            observer.completed(System.nanoTime() - start, error != null);
            if (error == null) {
                result.complete(value);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                result.completeExceptionally(new Unreachable(cause.getMessage(), cause));
            }
        });
        return result;
    }

    @Override
    public void close() {
        closed = true;
        events.dispose();
        tasks.shutdownNow();
        StatefulRedisPubSubConnection<String, String> subscriber = pubSub;
        if (subscriber != null) {
            subscriber.close();
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        client.getResources().shutdown(0, 2, TimeUnit.SECONDS);
    }
}
