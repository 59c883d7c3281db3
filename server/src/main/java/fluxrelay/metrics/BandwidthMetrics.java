package fluxrelay.metrics;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthSnapshot;
import fluxrelay.bandwidth.VerdictSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Per-viewer bandwidth checks, per room, refreshed at each scrape: monitored viewers by state (measuring, ok,
 * below), verdicts by source and outcome, playback refusals, disconnections, flags, probes, RTMP
 * detections and viewers moved down to a lower rendition. Rooms appear once anything was checked or monitored in them.
 *
 * <p>Label cardinality is bounded as in {@link StreamMetrics}: the first {@code maxRoomLabels} rooms (by id)
 * get their own {@code room} label, the rest are summed under {@code room="_other"}. No per-viewer labels.
 */
public final class BandwidthMetrics implements MeterBinder {

    private final BandwidthRegistry bandwidth;
    private final int maxRoomLabels;
    private final Map<String, List<Meter>> roomCounters = new ConcurrentHashMap<>();
    private volatile Map<String, List<BandwidthSnapshot>> byLabel = Map.of();
    private MeterRegistry registry;
    private MultiGauge viewers;

    public BandwidthMetrics(BandwidthRegistry bandwidth, int maxRoomLabels) {
        this.bandwidth = bandwidth;
        this.maxRoomLabels = maxRoomLabels;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        viewers = MultiGauge.builder("fluxrelay.bandwidth.viewers")
                .description("Viewers whose delivery rate is monitored, by room and state (measuring, ok, below)")
                .register(registry);
    }

    /** Recomputes the per-room rows; call before each scrape. */
    public synchronized void refresh() {
        List<BandwidthSnapshot> all = new ArrayList<>(bandwidth.snapshots());
        all.sort(Comparator.comparing(BandwidthSnapshot::roomId));
        Map<String, List<BandwidthSnapshot>> labels = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            labels.computeIfAbsent(i < maxRoomLabels ? all.get(i).roomId() : StreamMetrics.OTHER, k -> new ArrayList<>())
                    .add(all.get(i));
        }
        byLabel = labels;
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<String, List<BandwidthSnapshot>> entry : labels.entrySet()) {
            String room = entry.getKey();
            int measuring = 0;
            int ok = 0;
            int below = 0;
            for (BandwidthSnapshot snapshot : entry.getValue()) {
                measuring += snapshot.viewersMeasuring();
                ok += snapshot.viewersOk();
                below += snapshot.viewersBelow();
            }
            rows.add(MultiGauge.Row.of(Tags.of("room", room, "state", "measuring"), measuring));
            rows.add(MultiGauge.Row.of(Tags.of("room", room, "state", "ok"), ok));
            rows.add(MultiGauge.Row.of(Tags.of("room", room, "state", "below"), below));
            roomCounters.computeIfAbsent(room, this::registerCounters);
        }
        for (String gone : new ArrayList<>(roomCounters.keySet())) {
            if (!labels.containsKey(gone)) {
                roomCounters.remove(gone).forEach(registry::remove);
            }
        }
        viewers.register(rows, true);
    }

    private List<Meter> registerCounters(String room) {
        List<Meter> meters = new ArrayList<>();
        for (VerdictSource source : VerdictSource.values()) {
            for (boolean ok : new boolean[] {true, false}) {
                meters.add(FunctionCounter.builder("fluxrelay.bandwidth.verdicts", this, m -> m.verdicts(room, source, ok))
                        .tags("room", room, "source", source.label(), "outcome", ok ? "ok" : "below")
                        .description("Bandwidth verdicts: before playback (probe, rtmp-detection), on a token, during playback")
                        .register(registry));
            }
        }
        meters.add(counter("fluxrelay.bandwidth.refusals", room, BandwidthSnapshot::refusedTotal,
                "Playback requests refused for bandwidth (below the requirement, or no passed check under enforce)"));
        meters.add(counter("fluxrelay.bandwidth.disconnections", room, BandwidthSnapshot::disconnectedTotal,
                "Viewers ended during playback for being persistently below the requirement (enforce)"));
        meters.add(counter("fluxrelay.bandwidth.flagged", room, BandwidthSnapshot::flaggedTotal,
                "Viewers flagged as persistently below the requirement during playback"));
        meters.add(counter("fluxrelay.viewers.moved.down", room, BandwidthSnapshot::movedDownTotal,
                "Viewers below the room's requirement given a lower quality rendition instead of the program (HLS: "
                        + "multivariant playlists answered without the program)"));
        meters.add(counter("fluxrelay.bandwidth.probes", room, BandwidthSnapshot::probes, "HTTP bandwidth probes completed"));
        meters.add(counter("fluxrelay.bandwidth.detections", room, BandwidthSnapshot::detections,
                "RTMP bandwidth detections (onBWCheck/onBWDone) completed"));
        return meters;
    }

    private Meter counter(String name, String room, ToLongFunction<BandwidthSnapshot> value, String help) {
        return FunctionCounter.builder(name, this, m -> m.sum(room, value)).tag("room", room).description(help).register(registry);
    }

    private double sum(String room, ToLongFunction<BandwidthSnapshot> value) {
        long total = 0;
        for (BandwidthSnapshot snapshot : byLabel.getOrDefault(room, List.of())) {
            total += value.applyAsLong(snapshot);
        }
        return total;
    }

    private double verdicts(String room, VerdictSource source, boolean ok) {
        long total = 0;
        for (BandwidthSnapshot snapshot : byLabel.getOrDefault(room, List.of())) {
            for (BandwidthSnapshot.VerdictCount count : snapshot.verdicts()) {
                if (count.source() == source && count.ok() == ok) {
                    total += count.count();
                }
            }
        }
        return total;
    }
}
