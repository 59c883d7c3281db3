package fluxrelay.bandwidth;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Bandwidth for the whole server: each room's requirement (its own or the default), each room's state, the
 * probe payload, the token signer and the limit on concurrent probes. One instance, built by the composition
 * root; thread-safe.
 */
public final class BandwidthRegistry {

    private final BandwidthSettings settings;
    private final Map<String, BandwidthRequirement> overrides = new ConcurrentHashMap<>();
    private final Map<String, RoomBandwidth> rooms = new ConcurrentHashMap<>();
    private final ProbeTokens tokens;
    private final ProbePayload payload;
    private final Clock clock;
    private final AtomicInteger probesRunning = new AtomicInteger();

    /**
     * @param settings checks, sizes and monitoring
     * @param overrides requirements of rooms that set their own, by room id
     * @param tokenSecret the secret tokens are signed with
     * @param clock the wall clock of verdicts and token expiries
     */
    public BandwidthRegistry(BandwidthSettings settings, Map<String, BandwidthRequirement> overrides, byte[] tokenSecret,
                             Clock clock) {
        this.settings = settings;
        this.overrides.putAll(overrides);
        this.tokens = new ProbeTokens(tokenSecret, settings.tokenTtl(), clock);
        this.payload = new ProbePayload(settings.probe().maxBytes());
        this.clock = clock;
    }

    /** Checks off everywhere, no monitoring. */
    public static BandwidthRegistry disabled() {
        return new BandwidthRegistry(BandwidthSettings.disabled(), Map.of(), ProbeTokens.randomSecret(), Clock.systemUTC());
    }

    /** The settings. */
    public BandwidthSettings settings() {
        return settings;
    }

    /** The requirement of a room: its own, or the default. */
    public BandwidthRequirement requirement(String roomId) {
        return overrides.getOrDefault(roomId, settings.defaults());
    }

    /** Gives a room its own requirement (rooms created at run time), or the default again with null. */
    public void configure(String roomId, BandwidthRequirement requirement) {
        if (requirement == null) {
            overrides.remove(roomId);
        } else {
            overrides.put(roomId, requirement);
        }
    }

    /** The state of a room, made on first use. */
    public RoomBandwidth room(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new RoomBandwidth(id, this, settings.recentVerdicts()));
    }

    /** The picture of one room, if anything was ever measured or monitored there. */
    public Optional<BandwidthSnapshot> snapshot(String roomId) {
        RoomBandwidth room = rooms.get(roomId);
        return room == null ? Optional.empty() : Optional.of(room.snapshot());
    }

    /** The pictures of every room with bandwidth state. */
    public List<BandwidthSnapshot> snapshots() {
        Collection<RoomBandwidth> all = rooms.values();
        return all.stream().map(RoomBandwidth::snapshot).toList();
    }

    /** Forgets a removed room's state and requirement. */
    public void remove(String roomId) {
        rooms.remove(roomId);
        overrides.remove(roomId);
    }

    /**
     * A watch over a viewer that starts playing in {@code roomId}, or null when the room is not monitored
     * (policy off, or monitoring disabled). The caller closes it when the viewer leaves.
     */
    public ViewerBandwidth watch(String roomId, String viewer) {
        BandwidthRequirement requirement = requirement(roomId);
        if (!settings.monitor().enabled() || !requirement.checked()) {
            return null;
        }
        return new ViewerBandwidth(room(roomId), requirement, viewer, settings.monitor().flagWindows(), clock);
    }

    /**
     * A watch over a viewer that starts playing a quality rendition of {@code roomId}'s program, judged against the
     * rendition's need (with the room's policy) instead of the room's requirement: a viewer keeping up with the lower
     * quality it was given is not flagged for the program's rate. {@code need} answers the rendition's need in bit/s,
     * or 0 while it is not known (not live yet); it is asked at each window until known, then kept. Null when the room
     * is not monitored; the caller closes it when the viewer leaves.
     */
    public ViewerBandwidth watchRendition(String roomId, String viewer, LongSupplier need) {
        BandwidthRequirement requirement = requirement(roomId);
        if (!settings.monitor().enabled() || !requirement.checked()) {
            return null;
        }
        return new ViewerBandwidth(room(roomId), () -> {
            long bitsPerSecond = need.getAsLong();
            return bitsPerSecond > 0 ? new BandwidthRequirement(bitsPerSecond, requirement.policy()) : null;
        }, viewer, settings.monitor().flagWindows(), clock);
    }

    /** The shared probe payload. */
    public ProbePayload payload() {
        return payload;
    }

    /** The token signer. */
    public ProbeTokens tokens() {
        return tokens;
    }

    /** The wall clock. */
    public Clock clock() {
        return clock;
    }

    /** Claims a probe slot; false when {@code max-concurrent-probes} are running. Release with {@link #probeDone}. */
    public boolean tryStartProbe() {
        while (true) {
            int running = probesRunning.get();
            if (running >= settings.probe().maxConcurrent()) {
                return false;
            }
            if (probesRunning.compareAndSet(running, running + 1)) {
                return true;
            }
        }
    }

    /** Releases a probe slot. */
    public void probeDone() {
        probesRunning.decrementAndGet();
    }
}
