package fluxrelay.cluster;

import fluxrelay.ingest.PublishLeases;
import fluxrelay.stream.FeedId;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publish leases in Redis: a feed's lease is a key set only if absent, with an expiry ({@link LeaseKeys}), whose
 * value names the holding node and a fencing epoch taken from the feed's counter. The holder renews it every third
 * of its lifetime while the publication lives (compare and extend), and deletes it when the publication ends
 * (compare and delete); each step is one Lua script, so no other node can slip in between a read and a write.
 *
 * <p>Several local publishers of one feed (a stale encoder and its reconnection) share this node's lease: the
 * local publisher slot decides between them, and the lease goes back when the last one ends. A node that finds its
 * own id in the lease (it restarted within the lifetime) takes the lease over with a new epoch.
 *
 * <p>A renewal that Redis cannot answer is retried at the next period and the publication goes on (Redis down
 * must not stop streams in flight); a renewal that finds another holder, or the lease expired and taken since,
 * ends the publication with a log line and {@link ClusterEvents#leaseLost()}. A publish that starts while Redis
 * cannot be asked is granted provisionally (the room is one this node knows): the lease is taken in Redis at the
 * next renewal period once Redis answers, or the publish ends if another node took the room meanwhile.
 */
public final class RedisPublishLeases implements PublishLeases, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisPublishLeases.class);

    /** Waiting for another node's lease to expire ends this long after its expiry was due. */
    private static final long EXPIRY_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /** A held lease is asked for again at most this often while waiting for it. */
    private static final long RETRY_MAX_MILLIS = 500;

    /** KEYS lease, epoch; ARGV holder (node|address), ttl ms, own prefix (node|). Returns {1, value, epoch} or {0, value, pttl}. */
    static final String ACQUIRE = """
            local v = redis.call('GET', KEYS[1])
            if v and string.sub(v, 1, string.len(ARGV[3])) ~= ARGV[3] then
              return {0, v, redis.call('PTTL', KEYS[1])}
            end
            local e = redis.call('INCR', KEYS[2])
            local nv = ARGV[1] .. '|' .. e
            redis.call('SET', KEYS[1], nv, 'PX', ARGV[2])
            return {1, nv, e}
            """;
    /** KEYS lease, epoch; ARGV value, ttl ms, epoch. 1 extended, 2 re-set after expiry nobody used, 0 lost. */
    static final String RENEW = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not v and redis.call('GET', KEYS[2]) == ARGV[3] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 2
            end
            return 0
            """;
    /** KEYS lease; ARGV value. Deletes the lease only while it is still ours. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    private final RedisLink redis;
    private final Supplier<NodeAddress> self;
    private final long ttlMillis;
    private final ScheduledExecutorService scheduler;
    private final ClusterEvents events;
    private final Map<FeedId, Held> held = new HashMap<>();
    private final Map<FeedId, CompletableFuture<Acquisition>> acquiring = new HashMap<>();

    /**
     * @param redis the node's connection to the shared store (commands fail at once while it is down)
     * @param self this node, written into the leases it holds (asked at each acquisition: the RTMP port is known once bound)
     * @param ttl a lease's lifetime without renewal
     * @param scheduler runs renewals and retries (never blocked)
     * @param events where renewals and losses are counted
     */
    public RedisPublishLeases(RedisLink redis, Supplier<NodeAddress> self, Duration ttl,
                              ScheduledExecutorService scheduler, ClusterEvents events) {
        this.redis = redis;
        this.self = self;
        this.ttlMillis = ttl.toMillis();
        this.scheduler = scheduler;
        this.events = events;
    }

    @Override
    public CompletionStage<Acquisition> acquire(FeedId feed) {
        CompletableFuture<Acquisition> result;
        synchronized (this) {
            Held current = held.get(feed);
            if (current != null) {
                return CompletableFuture.completedFuture(new Acquisition.Granted(current.newHandle()));
            }
            CompletableFuture<Acquisition> pending = acquiring.get(feed);
            if (pending != null) {
                // One request per feed in flight from this node: the others ask again once it is answered.
                return pending.handle((a, e) -> null).thenCompose(ignored -> acquire(feed));
            }
            result = new CompletableFuture<>();
            acquiring.put(feed, result);
        }
        attempt(feed, result, 0);
        return result;
    }

    private void attempt(FeedId feed, CompletableFuture<Acquisition> result, long deadlineNanos) {
        String[] keys = {LeaseKeys.lease(feed), LeaseKeys.epoch(feed)};
        NodeAddress node = self.get();
        redis.call(c -> c.<List<Object>>eval(ACQUIRE, ScriptOutputType.MULTI, keys, LeaseKeys.holder(node),
                Long.toString(ttlMillis), node.nodeId() + "|")).whenComplete((reply, error) -> {
                    if (error != null) {
                        // Redis down must not stop a room this node knows from going live: the lease is held
                        // provisionally and taken in Redis (or found lost to another node) when Redis answers again.
                        log.warn("room {}: Redis cannot be asked for the publish lease ({}): taken provisionally, registered "
                                + "when Redis answers", feed, error.getMessage());
                        finish(feed, result, null, new Held(feed, null, 0));
                        return;
                    }
                    if (((Long) reply.get(0)) == 1L) {
                        Held lease = new Held(feed, (String) reply.get(1), (Long) reply.get(2));
                        finish(feed, result, null, lease);
                        return;
                    }
                    LeaseKeys.Holder holder = LeaseKeys.parse((String) reply.get(1));
                    long pttl = (Long) reply.get(2);
                    long remaining = pttl < 0 ? ttlMillis : Math.min(pttl, ttlMillis);
                    long now = System.nanoTime();
                    long deadline = deadlineNanos != 0 ? deadlineNanos
                            : now + TimeUnit.MILLISECONDS.toNanos(remaining) + EXPIRY_MARGIN_NANOS;
                    if (now >= deadline) {
                        finish(feed, result, new Acquisition.Held(holder == null ? "unknown" : holder.nodeId()), null);
                        return;
                    }
                    long delay = Math.min(Math.min(remaining + 20, RETRY_MAX_MILLIS), TimeUnit.NANOSECONDS.toMillis(deadline - now));
                    scheduler.schedule(() -> attempt(feed, result, deadline), Math.max(20, delay), TimeUnit.MILLISECONDS);
                });
    }

    private void finish(FeedId feed, CompletableFuture<Acquisition> result, Acquisition refusal, Held granted) {
        Acquisition outcome;
        synchronized (this) {
            acquiring.remove(feed);
            if (granted != null) {
                held.put(feed, granted);
                outcome = new Acquisition.Granted(granted.newHandle());
                long period = Math.max(1, ttlMillis / 3);
                granted.renewal = scheduler.scheduleAtFixedRate(() -> renew(granted), period, period, TimeUnit.MILLISECONDS);
            } else {
                outcome = refusal;
            }
        }
        if (granted != null) {
            log.info("room {}: publish lease taken (epoch {})", feed, granted.epoch);
        }
        result.complete(outcome);
    }

    private void renew(Held lease) {
        if (lease.done) {
            return;
        }
        if (lease.value == null) {
            register(lease);
            return;
        }
        String[] keys = {LeaseKeys.lease(lease.feed), LeaseKeys.epoch(lease.feed)};
        redis.call(c -> c.<Long>eval(RENEW, ScriptOutputType.INTEGER, keys, lease.value, Long.toString(ttlMillis),
                        Long.toString(lease.epoch)))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        if (!lease.failing) {
                            log.warn("room {}: publish lease (epoch {}) could not be renewed, the stream goes on and the renewal "
                                    + "is retried: {}", lease.feed, lease.epoch, error.getMessage());
                        }
                        lease.failing = true;
                    } else if (answer == 0L) {
                        lost(lease);
                    } else {
                        if (lease.failing) {
                            log.info("room {}: publish lease (epoch {}) renewed again", lease.feed, lease.epoch);
                            lease.failing = false;
                        }
                        events.leaseRenewed();
                    }
                });
    }

    /** A provisional lease (taken while Redis was down) asks for the real one: it gets it, or it was lost meanwhile. */
    private void register(Held lease) {
        String[] keys = {LeaseKeys.lease(lease.feed), LeaseKeys.epoch(lease.feed)};
        NodeAddress node = self.get();
        redis.call(c -> c.<List<Object>>eval(ACQUIRE, ScriptOutputType.MULTI, keys, LeaseKeys.holder(node),
                Long.toString(ttlMillis), node.nodeId() + "|")).whenComplete((reply, error) -> {
                    if (error != null || lease.done) {
                        return;
                    }
                    if (((Long) reply.get(0)) == 1L) {
                        synchronized (this) {
                            lease.value = (String) reply.get(1);
                            lease.epoch = (Long) reply.get(2);
                        }
                        log.info("room {}: provisional publish lease registered (epoch {})", lease.feed, lease.epoch);
                        events.leaseRenewed();
                    } else {
                        lost(lease);
                    }
                });
    }

    private void lost(Held lease) {
        List<Runnable> actions;
        synchronized (this) {
            if (lease.done) {
                return;
            }
            lease.done = true;
            held.remove(lease.feed, lease);
            actions = new ArrayList<>();
            for (Handle handle : lease.handles) {
                if (handle.onLost != null) {
                    actions.add(handle.onLost);
                }
            }
            lease.handles.clear();
        }
        lease.cancelRenewal();
        events.leaseLost();
        log.warn("room {}: publish lease (epoch {}) lost: another node holds the room now; the local publish ends",
                lease.feed, lease.epoch);
        actions.forEach(Runnable::run);
    }

    private void released(Handle handle) {
        Held lease = handle.lease;
        synchronized (this) {
            if (!lease.handles.remove(handle) || !lease.handles.isEmpty() || lease.done) {
                return;
            }
            lease.done = true;
            held.remove(lease.feed, lease);
        }
        lease.cancelRenewal();
        if (lease.value == null) {
            return;
        }
        redis.call(c -> c.<Long>eval(RELEASE, ScriptOutputType.INTEGER, new String[] {LeaseKeys.lease(lease.feed)}, lease.value))
                .whenComplete((answer, error) -> {
                    if (error != null) {
                        log.warn("room {}: publish lease (epoch {}) could not be given back, it expires by itself: {}", lease.feed,
                                lease.epoch, error.getMessage());
                    } else {
                        log.info("room {}: publish lease (epoch {}) given back", lease.feed, lease.epoch);
                    }
                });
    }

    /** The feeds this node holds a lease of now. */
    public synchronized Set<FeedId> held() {
        return Set.copyOf(held.keySet());
    }

    /** Gives back every lease still held (the node is stopping). */
    @Override
    public void close() {
        List<Handle> all = new ArrayList<>();
        synchronized (this) {
            held.values().forEach(lease -> all.addAll(lease.handles));
        }
        all.forEach(Handle::release);
    }

    /** This node's hold on a feed's lease, shared by its local publishers of the feed. */
    private final class Held {
        final FeedId feed;
        /** The lease's value in Redis, or null while provisional (taken when Redis could not answer). */
        volatile String value;
        volatile long epoch;
        final Set<Handle> handles = new LinkedHashSet<>();
        volatile ScheduledFuture<?> renewal;
        volatile boolean failing;
        boolean done;

        Held(FeedId feed, String value, long epoch) {
            this.feed = feed;
            this.value = value;
            this.epoch = epoch;
        }

        /** Called holding the outer lock. */
        Handle newHandle() {
            Handle handle = new Handle(this);
            handles.add(handle);
            return handle;
        }

        void cancelRenewal() {
            ScheduledFuture<?> r = renewal;
            if (r != null) {
                r.cancel(false);
            }
        }
    }

    /** One publication's lease. */
    private final class Handle implements Lease {
        final Held lease;
        Runnable onLost;
        boolean released;

        Handle(Held lease) {
            this.lease = lease;
        }

        @Override
        public long epoch() {
            return lease.epoch;
        }

        @Override
        public void onLost(Runnable action) {
            boolean already;
            synchronized (RedisPublishLeases.this) {
                already = lease.done && !released && !lease.handles.contains(this);
                if (!already) {
                    onLost = action;
                }
            }
            if (already) {
                action.run();
            }
        }

        @Override
        public void release() {
            synchronized (RedisPublishLeases.this) {
                if (released) {
                    return;
                }
                released = true;
            }
            released(this);
        }
    }
}
