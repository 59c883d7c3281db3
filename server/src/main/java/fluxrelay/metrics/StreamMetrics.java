package fluxrelay.metrics;

import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.StreamSnapshot;
import fluxrelay.stream.StreamTotals;
import fluxrelay.stream.Viewer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
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
 * Per-room figures from the hubs of the rooms' feeds, refreshed at each scrape: publishers, shown rooms, viewers
 * by protocol, lagging viewers, ingest bitrate, GOP cache size, and ingest bytes and frames as counters, each summed
 * over the room's feeds; and per feed ({@code room} and {@code feed} labels), whether it has a publisher. A room's
 * program hub counts for viewers, shown and the GOP cache; its frames are its inputs' again, so it is left out of the
 * publisher and ingest figures.
 *
 * <p>A quality rendition of the program is ingest of its own (a multitrack encoder's extra track, an encoder pushing
 * the rendition's stream name, the server's ladder): it is counted apart, per room and {@code rendition}, in
 * {@code fluxrelay.rendition.ingest} (bytes), {@code fluxrelay.rendition.ingest.frames} and
 * {@code fluxrelay.rendition.ingest.bytes.per.second}, so that the room's ingest series go on meaning what its inputs
 * send (dashboards built on them keep their meaning) and Prometheus sees each name with one set of labels.
 *
 * <p>Label cardinality is bounded: the first {@code maxRoomLabels} rooms (by id) get their own
 * {@code room} label, the rest are summed under {@code room="_other"}. No per-viewer labels.
 */
public final class StreamMetrics implements MeterBinder {

    static final String OTHER = "_other";

    private final StreamRegistry streams;
    private final int maxRoomLabels;
    private final Map<String, List<Meter>> roomCounters = new ConcurrentHashMap<>();
    private volatile Map<String, List<LiveStream>> byLabel = Map.of();
    private MeterRegistry registry;
    private MultiGauge viewers;
    private MultiGauge publishing;
    private MultiGauge shown;
    private MultiGauge ingestBits;
    private MultiGauge gopBytes;
    private MultiGauge lagging;
    private MultiGauge feedPublishing;
    private MultiGauge renditionViewers;
    private MultiGauge renditionIngestBits;
    /** The counters of each labelled room's renditions, and the hubs they read. */
    private final Map<RenditionKey, List<Meter>> renditionCounters = new ConcurrentHashMap<>();
    private volatile Map<RenditionKey, LiveStream> renditionHubs = Map.of();

    /** A labelled room's rendition. */
    private record RenditionKey(String room, String rendition) {
    }

    public StreamMetrics(StreamRegistry streams, int maxRoomLabels) {
        this.streams = streams;
        this.maxRoomLabels = maxRoomLabels;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        viewers = MultiGauge.builder("fluxrelay.viewers").description("Viewers connected, by room and protocol").register(registry);
        publishing = MultiGauge.builder("fluxrelay.room.publishing").description("1 while a publisher is connected to the room")
                .register(registry);
        shown = MultiGauge.builder("fluxrelay.room.shown").description("1 while the room is switched live (GO LIVE)").register(registry);
        ingestBits = MultiGauge.builder("fluxrelay.ingest.bytes.per.second")
                .description("Ingest rate over the last second, bytes per second").register(registry);
        gopBytes = MultiGauge.builder("fluxrelay.gop.cache").baseUnit("bytes").description("Bytes held in the room's GOP cache")
                .register(registry);
        lagging = MultiGauge.builder("fluxrelay.viewers.lagging").description("Viewers currently behind (queue above its high mark)")
                .register(registry);
        feedPublishing = MultiGauge.builder("fluxrelay.feed.publishing")
                .description("1 while a publisher is connected to the room's input (feed)").register(registry);
        renditionViewers = MultiGauge.builder("fluxrelay.rendition.viewers")
                .description("RTMP and HTTP-FLV viewers of each quality rendition of a room's program (the program's own "
                        + "viewers are those of fluxrelay.viewers less these)").register(registry);
        renditionIngestBits = MultiGauge.builder("fluxrelay.rendition.ingest.bytes.per.second")
                .description("Ingest rate of each quality rendition of a room's program over the last second, bytes per second")
                .register(registry);
        Gauge.builder("fluxrelay.publishers", streams, s -> s.all().stream()
                        .filter(l -> l.feedId().isInput() && l.snapshot().publishing()).count())
                .description("Publishers connected").register(registry);
    }

    /** Recomputes the per-room rows; call before each scrape. */
    public synchronized void refresh() {
        List<LiveStream> all = new ArrayList<>(streams.all());
        all.sort(Comparator.comparing(LiveStream::roomId));
        Map<String, List<LiveStream>> labels = new HashMap<>();
        for (LiveStream stream : all) {
            String room = labels.containsKey(stream.roomId()) || labels.size() - (labels.containsKey(OTHER) ? 1 : 0) < maxRoomLabels
                    ? stream.roomId() : OTHER;
            labels.computeIfAbsent(room, k -> new ArrayList<>()).add(stream);
        }
        byLabel = labels;
        List<MultiGauge.Row<?>> viewerRows = new ArrayList<>();
        List<MultiGauge.Row<?>> publishingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> shownRows = new ArrayList<>();
        List<MultiGauge.Row<?>> bitRows = new ArrayList<>();
        List<MultiGauge.Row<?>> gopRows = new ArrayList<>();
        List<MultiGauge.Row<?>> laggingRows = new ArrayList<>();
        List<MultiGauge.Row<?>> feedRows = new ArrayList<>();
        List<MultiGauge.Row<?>> renditionRows = new ArrayList<>();
        List<MultiGauge.Row<?>> renditionBitRows = new ArrayList<>();
        Map<RenditionKey, LiveStream> renditions = new HashMap<>();
        for (Map.Entry<String, List<LiveStream>> entry : labels.entrySet()) {
            String room = entry.getKey();
            Map<String, Integer> byProtocol = new HashMap<>();
            int publishers = 0;
            java.util.Set<String> shownRooms = new java.util.HashSet<>();
            double video = 0;
            double audio = 0;
            long gop = 0;
            int behind = 0;
            for (LiveStream stream : entry.getValue()) {
                StreamSnapshot snapshot = stream.snapshot();
                // The program and its renditions are fed from the inputs: only inputs count as publishers and ingest.
                boolean program = !stream.feedId().isInput();
                publishers += snapshot.publishing() && !program ? 1 : 0;
                if (snapshot.shown()) {
                    shownRooms.add(snapshot.roomId());
                }
                if (!OTHER.equals(room) && !program) {
                    feedRows.add(MultiGauge.Row.of(Tags.of("room", room, "feed", snapshot.feedId()), snapshot.publishing() ? 1 : 0));
                }
                gop += snapshot.gopCacheBytes();
                IngestSnapshot ingest = snapshot.ingest();
                if (ingest != null && !program) {
                    video += ingest.videoKbps() * 1000 / 8;
                    audio += ingest.audioKbps() * 1000 / 8;
                }
                int watching = 0;
                for (Viewer viewer : stream.viewers()) {
                    if (viewer.internal()) {
                        continue; // another node's pull of this room: not a person watching
                    }
                    byProtocol.merge(viewer.protocol(), 1, Integer::sum);
                    behind += viewer.lagging() ? 1 : 0;
                    watching++;
                }
                if (!OTHER.equals(room) && stream.feedId().isRendition()) {
                    String rendition = stream.feedId().rendition();
                    renditionRows.add(MultiGauge.Row.of(Tags.of("room", room, "rendition", rendition), watching));
                    renditions.put(new RenditionKey(room, rendition), stream);
                    double videoRate = ingest == null ? 0 : ingest.videoKbps() * 1000 / 8;
                    double audioRate = ingest == null ? 0 : ingest.audioKbps() * 1000 / 8;
                    renditionBitRows.add(MultiGauge.Row.of(Tags.of("room", room, "rendition", rendition, "kind", "video"), videoRate));
                    renditionBitRows.add(MultiGauge.Row.of(Tags.of("room", room, "rendition", rendition, "kind", "audio"), audioRate));
                }
            }
            for (String protocol : List.of("rtmp", "http-flv")) {
                viewerRows.add(MultiGauge.Row.of(Tags.of("room", room, "protocol", protocol), byProtocol.getOrDefault(protocol, 0)));
            }
            publishingRows.add(MultiGauge.Row.of(Tags.of("room", room), publishers));
            shownRows.add(MultiGauge.Row.of(Tags.of("room", room), shownRooms.size()));
            bitRows.add(MultiGauge.Row.of(Tags.of("room", room, "kind", "video"), video));
            bitRows.add(MultiGauge.Row.of(Tags.of("room", room, "kind", "audio"), audio));
            gopRows.add(MultiGauge.Row.of(Tags.of("room", room), gop));
            laggingRows.add(MultiGauge.Row.of(Tags.of("room", room), behind));
            roomCounters.computeIfAbsent(room, this::registerCounters);
        }
        for (String gone : new ArrayList<>(roomCounters.keySet())) {
            if (!labels.containsKey(gone)) {
                roomCounters.remove(gone).forEach(registry::remove);
            }
        }
        renditionHubs = renditions;
        for (RenditionKey key : renditions.keySet()) {
            renditionCounters.computeIfAbsent(key, this::registerRenditionCounters);
        }
        for (RenditionKey gone : new ArrayList<>(renditionCounters.keySet())) {
            if (!renditions.containsKey(gone)) {
                renditionCounters.remove(gone).forEach(registry::remove);
            }
        }
        viewers.register(viewerRows, true);
        publishing.register(publishingRows, true);
        shown.register(shownRows, true);
        ingestBits.register(bitRows, true);
        gopBytes.register(gopRows, true);
        lagging.register(laggingRows, true);
        feedPublishing.register(feedRows, true);
        renditionViewers.register(renditionRows, true);
        renditionIngestBits.register(renditionBitRows, true);
    }

    private List<Meter> registerRenditionCounters(RenditionKey key) {
        List<Meter> meters = new ArrayList<>();
        meters.add(renditionCounter("fluxrelay.rendition.ingest", "bytes", key, "video", StreamTotals::videoBytes,
                "Ingest payload bytes of a quality rendition"));
        meters.add(renditionCounter("fluxrelay.rendition.ingest", "bytes", key, "audio", StreamTotals::audioBytes,
                "Ingest payload bytes of a quality rendition"));
        meters.add(renditionCounter("fluxrelay.rendition.ingest.frames", null, key, "video", StreamTotals::videoFrames,
                "Ingest frames of a quality rendition"));
        meters.add(renditionCounter("fluxrelay.rendition.ingest.frames", null, key, "audio", StreamTotals::audioFrames,
                "Ingest frames of a quality rendition"));
        return meters;
    }

    private Meter renditionCounter(String name, String unit, RenditionKey key, String kind, ToLongFunction<StreamTotals> value,
                                   String help) {
        FunctionCounter.Builder<StreamMetrics> builder = FunctionCounter.builder(name, this, m -> {
                    LiveStream hub = m.renditionHubs.get(key);
                    return hub == null ? 0 : value.applyAsLong(hub.totals());
                })
                .tags("room", key.room(), "rendition", key.rendition(), "kind", kind).description(help);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return builder.register(registry);
    }

    private List<Meter> registerCounters(String room) {
        List<Meter> meters = new ArrayList<>();
        meters.add(counter("fluxrelay.ingest", "bytes", room, "video", StreamTotals::videoBytes, "Ingest payload bytes"));
        meters.add(counter("fluxrelay.ingest", "bytes", room, "audio", StreamTotals::audioBytes, "Ingest payload bytes"));
        meters.add(counter("fluxrelay.ingest.frames", null, room, "video", StreamTotals::videoFrames, "Ingest frames"));
        meters.add(counter("fluxrelay.ingest.frames", null, room, "audio", StreamTotals::audioFrames, "Ingest frames"));
        meters.add(FunctionCounter.builder("fluxrelay.publishes", this, m -> m.sum(room, StreamTotals::publishes))
                .tag("room", room).description("Publishes started").register(registry));
        return meters;
    }

    private Meter counter(String name, String unit, String room, String kind, ToLongFunction<StreamTotals> value, String help) {
        FunctionCounter.Builder<StreamMetrics> builder = FunctionCounter.builder(name, this, m -> m.sum(room, value))
                .tags("room", room, "kind", kind).description(help);
        if (unit != null) {
            builder.baseUnit(unit);
        }
        return builder.register(registry);
    }

    private double sum(String room, ToLongFunction<StreamTotals> value) {
        long total = 0;
        for (LiveStream stream : byLabel.getOrDefault(room, List.of())) {
            if (!stream.feedId().isInput()) {
                continue;
            }
            total += value.applyAsLong(stream.totals());
        }
        return total;
    }
}
