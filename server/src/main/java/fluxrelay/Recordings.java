package fluxrelay;

import fluxrelay.access.AccessTokens;
import fluxrelay.admin.RoomRecording;
import fluxrelay.config.RecordingConfig;
import fluxrelay.config.RelayConfig;
import fluxrelay.hooks.Webhooks;
import fluxrelay.http.DvrHls;
import fluxrelay.http.RecordingsApi;
import fluxrelay.http.ReplayLinks;
import fluxrelay.http.ReplayRoute;
import fluxrelay.metrics.RecordingMetrics;
import fluxrelay.metrics.RelayMetrics;
import fluxrelay.recording.Recorder;
import fluxrelay.recording.Recording;
import fluxrelay.recording.RecordingEvents;
import fluxrelay.recording.RecordingSettings;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition of recording: the recorder with its settings, webhooks and metrics, which rooms record (and their
 * live DVR windows), and the threads that read recordings for downloads, replays and DVR segments. Made only when some room records.
 */
final class Recordings implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Recordings.class);
    /** Download threads: reading a file for one client at a time each, never on an event loop. */
    private static final int DOWNLOAD_THREADS = 2;

    private final RelayConfig config;
    private final Recorder recorder;
    private final EventExecutorGroup downloads;
    private final ReplayLinks links;

    private Recordings(RelayConfig config, Recorder recorder) {
        this.config = config;
        this.recorder = recorder;
        this.downloads = new DefaultEventExecutorGroup(DOWNLOAD_THREADS, new DefaultThreadFactory("recording-download", true));
        List<String> secrets = config.access().secrets();
        this.links = new ReplayLinks(secrets.isEmpty() ? null : new AccessTokens(secrets), config.recording().replayTtl(),
                Clock.systemUTC());
    }

    /** The recording setup, or null when no room records ({@code relay.recording.enabled} off and no room's {@code record} on). */
    static Recordings create(RelayConfig config, Webhooks webhooks, RelayMetrics metrics) {
        RecordingConfig c = config.recording();
        if (!c.enabled() && config.rooms().stream().noneMatch(c::records)) {
            return null;
        }
        Recorder recorder = new Recorder(new RecordingSettings(Path.of(c.directory()), c.grace(), c.fragment(), c.maxAge(),
                c.maxTotalBytes(), c.minFreeBytes(), c.threads(), c.checkInterval()), PooledByteBufAllocator.DEFAULT,
                events(webhooks), Clock.systemUTC());
        metrics.bind(new RecordingMetrics(recorder));
        return new Recordings(config, recorder);
    }

    /** The webhook events: {@code recording.started}, {@code recording.ready} (with the file), {@code recording.failed}. */
    private static RecordingEvents events(Webhooks webhooks) {
        return new RecordingEvents() {
            @Override
            public void started(Recording recording) {
                webhooks.recording("recording.started", fields(recording));
            }

            @Override
            public void ready(Recording recording, String why) {
                Map<String, Object> fields = fields(recording);
                fields.put("path", recording.file().toString());
                fields.put("reason", why);
                webhooks.recording("recording.ready", fields);
            }

            @Override
            public void failed(Recording recording) {
                Map<String, Object> fields = fields(recording);
                fields.put("error", recording.error());
                webhooks.recording("recording.failed", fields);
            }
        };
    }

    private static Map<String, Object> fields(Recording r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("room", r.room());
        fields.put("id", r.id());
        fields.put("start", r.start().toString());
        fields.put("end", r.end() == null ? null : r.end().toString());
        fields.put("duration_s", r.durationSeconds());
        fields.put("size", r.size());
        fields.put("codecs", r.codecs());
        return fields;
    }

    /** The recordings part of the admin API. */
    RecordingsApi api() {
        return new RecordingsApi(recorder, downloads, links);
    }

    /** The rooms' live DVR windows for the HLS route, read on the download threads. */
    DvrHls dvr() {
        return new DvrHls(recorder::dvr, downloads);
    }

        /** The replay route (HLS VOD behind signed links). */
    ReplayRoute route() {
        return new ReplayRoute(recorder, links, downloads);
    }

    /** Finalizes what the last run left unfinished and starts the free-space and retention check. */
    void start() {
        try {
            recorder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("relay.recording.directory: " + e.getMessage(), e);
        }
    }

    /**
     * The rooms' {@code record} applied to the recorder: a recording room's program hub is recorded, from the publish or
     * from GO LIVE as the room's {@code recordStart} says (its own, else a config room's {@code record-start}, else
     * {@code relay.recording.start}), with the live DVR window its {@code dvrWindow} says (its own, else a config room's
     * {@code dvr-window}, else {@code relay.recording.dvr-window}); another's recorder detached.
     */
    RoomRecording rooms(StreamRegistry streams) {
        return new RoomRecording() {
            @Override
            public boolean recordsByDefault(String roomId) {
                return config.rooms().stream().filter(r -> r.id().equals(roomId)).findFirst()
                        .map(config.recording()::records).orElse(config.recording().enabled());
            }

            @Override
            public boolean startsAtPublishByDefault(String roomId) {
                RecordingConfig.Start start = config.rooms().stream().filter(r -> r.id().equals(roomId)).findFirst()
                        .map(config.recording()::start).orElse(config.recording().start());
                return start == RecordingConfig.Start.PUBLISH;
            }

            @Override
            public Duration dvrWindowByDefault(String roomId) {
                return config.rooms().stream().filter(r -> r.id().equals(roomId)).findFirst()
                        .map(config.recording()::dvrWindow).orElse(config.recording().dvrWindow());
            }

            @Override
            public Duration shortestDvrWindow() {
                return RecordingConfig.shortestDvrWindow(config.recording().fragment());
            }

            @Override
            public void apply(Room room, boolean record, boolean fromPublish, Duration dvrWindow) {
                if (record) {
                    Duration dvr = dvrWindow;
                    if (!dvr.isZero() && dvr.compareTo(shortestDvrWindow()) < 0) {
                        // Set through the API before relay.recording.fragment was raised: a playlist never lists less.
                        log.warn("room {}: dvrWindow {} is shorter than three target durations; {} is served", room.id(),
                                dvr, shortestDvrWindow());
                        dvr = shortestDvrWindow();
                    }
                    recorder.attach(streams.stream(room.id(), room.autoLive()), fromPublish, dvr);
                } else {
                    recorder.detach(room.id());
                }
            }
        };
    }

    @Override
    public void close() {
        recorder.close();
        downloads.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
