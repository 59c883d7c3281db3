package fluxrelay.bandwidth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bandwidth state of one room: how many monitored viewers are measuring, ok or below, the verdicts of
 * the flagged ones, totals, and the latest verdicts. Written from every event loop, read by anyone.
 */
public final class RoomBandwidth {

    private final String roomId;
    private final BandwidthRegistry registry;
    private final int recentLimit;
    private final AtomicInteger measuring = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicInteger below = new AtomicInteger();
    private final Map<Object, BandwidthVerdict> flagged = new ConcurrentHashMap<>();
    private final LongAdder flaggedTotal = new LongAdder();
    private final LongAdder refusedTotal = new LongAdder();
    private final LongAdder disconnectedTotal = new LongAdder();
    private final LongAdder probes = new LongAdder();
    private final LongAdder detections = new LongAdder();
    private final LongAdder movedDown = new LongAdder();
    /** Indexed by {@code source.ordinal() * 2 + (ok ? 1 : 0)}. */
    private final LongAdder[] verdicts = new LongAdder[VerdictSource.values().length * 2];
    private final ArrayDeque<BandwidthVerdict> recent = new ArrayDeque<>();

    RoomBandwidth(String roomId, BandwidthRegistry registry, int recentLimit) {
        this.roomId = roomId;
        this.registry = registry;
        this.recentLimit = recentLimit;
        for (int i = 0; i < verdicts.length; i++) {
            verdicts[i] = new LongAdder();
        }
    }

    /** The room id. */
    public String roomId() {
        return roomId;
    }

    /** The room's requirement now (configuration can change it at run time). */
    public BandwidthRequirement requirement() {
        return registry.requirement(roomId);
    }

    /** Keeps a verdict among the recent ones and counts completed probes and detections. */
    public void record(BandwidthVerdict verdict) {
        switch (verdict.source()) {
            case HTTP_PROBE -> probes.increment();
            case RTMP_DETECTION -> detections.increment();
            default -> { }
        }
        verdicts[verdict.source().ordinal() * 2 + (verdict.ok() ? 1 : 0)].increment();
        synchronized (recent) {
            recent.addLast(verdict);
            while (recent.size() > recentLimit) {
                recent.removeFirst();
            }
        }
    }

    /** A playback request was refused for bandwidth. */
    public void refused(BandwidthVerdict verdict) {
        refusedTotal.increment();
        record(verdict);
    }

    /** A playback request was refused for lacking a bandwidth check (no verdict to keep). */
    public void refusedUnchecked() {
        refusedTotal.increment();
    }

    /**
     * A viewer below the program's requirement was given a lower quality rendition instead (or, for HLS, a
     * multivariant playlist without the program).
     */
    public void movedDown() {
        movedDown.increment();
    }

    /** A viewer was disconnected for bandwidth during playback. */
    public void disconnected() {
        disconnectedTotal.increment();
    }

    void joined() {
        measuring.incrementAndGet();
    }

    void moved(ViewerState from, ViewerState to) {
        counter(from).decrementAndGet();
        counter(to).incrementAndGet();
    }

    void left(ViewerState state) {
        counter(state).decrementAndGet();
    }

    void flag(Object viewer, BandwidthVerdict verdict) {
        flagged.put(viewer, verdict);
        flaggedTotal.increment();
        record(verdict);
    }

    void unflag(Object viewer) {
        flagged.remove(viewer);
    }

    private AtomicInteger counter(ViewerState state) {
        return switch (state) {
            case MEASURING -> measuring;
            case OK -> ok;
            case BELOW -> below;
        };
    }

    /** The room's bandwidth picture now. */
    public BandwidthSnapshot snapshot() {
        BandwidthRequirement requirement = requirement();
        List<BandwidthVerdict> latest;
        synchronized (recent) {
            latest = new ArrayList<>(recent);
        }
        List<BandwidthSnapshot.VerdictCount> counts = new ArrayList<>(verdicts.length);
        for (VerdictSource source : VerdictSource.values()) {
            for (boolean good : new boolean[] {false, true}) {
                counts.add(new BandwidthSnapshot.VerdictCount(source, good, verdicts[source.ordinal() * 2 + (good ? 1 : 0)].sum()));
            }
        }
        return new BandwidthSnapshot(roomId, requirement.bitsPerSecond(), requirement.policy(), measuring.get(), ok.get(),
                below.get(), new ArrayList<>(flagged.values()), flaggedTotal.sum(), refusedTotal.sum(), disconnectedTotal.sum(),
                probes.sum(), detections.sum(), movedDown.sum(), counts, latest);
    }

    /** Where a monitored viewer stands. */
    enum ViewerState { MEASURING, OK, BELOW }
}
