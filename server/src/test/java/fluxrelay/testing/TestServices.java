package fluxrelay.testing;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.ingest.IngestEvents;
import fluxrelay.ingest.IngestService;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.rtmp.session.SessionContext;
import fluxrelay.rtmp.session.SessionEvents;
import fluxrelay.rtmp.session.SessionSettings;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.StreamRegistry;
import java.time.Duration;

/** The ingest and playback services wired as the server wires them, over a test's rooms and hubs. */
public final class TestServices {

    /** 1080p30 at most, 1–2 Mbit/s recommended, warnings only. */
    public static final IngestPolicy POLICY = new IngestPolicy(1920, 1080, 30, 1000, 2000, false);
    /** Short timeouts, 16 streams per connection, viewers told of an unpublish after 5 s without a new encoder. */
    public static final SessionSettings SESSION = new SessionSettings(4096, 5_000_000, 5_000_000, Duration.ofSeconds(10),
            Duration.ofSeconds(60), 16, Duration.ofMinutes(30), Duration.ofSeconds(5));

    private TestServices() {
    }

    /** Publishes decided by the bindings alone; a silent publisher may be taken over after 3 s. */
    public static IngestService ingest(RoomRegistry rooms, StreamRegistry streams, PublishAttemptLimiter attempts) {
        return new IngestService(rooms, new PublishAuthorizer(rooms), attempts, streams, ActivityListener.NONE, IngestEvents.NONE,
                new IngestService.Settings(POLICY, Duration.ofSeconds(3)));
    }

    /** Plays of up to {@code maxViewers} per feed under {@code bandwidth}. */
    public static PlaybackService playback(RoomRegistry rooms, StreamRegistry streams, BandwidthRegistry bandwidth, int maxViewers) {
        return new PlaybackService(rooms, streams, bandwidth, null, maxViewers);
    }

    /** An RTMP session context over these services. */
    public static SessionContext rtmp(IngestService ingest, PlaybackService playback, BandwidthRegistry bandwidth) {
        return rtmp(ingest, playback, bandwidth, SESSION);
    }

    /** As {@link #rtmp(IngestService, PlaybackService, BandwidthRegistry)}, with these session settings. */
    public static SessionContext rtmp(IngestService ingest, PlaybackService playback, BandwidthRegistry bandwidth,
            SessionSettings settings) {
        return new SessionContext(ingest, playback, settings, new ViewerLimits(4 << 20, Duration.ofSeconds(10), Duration.ZERO),
                new EgressCounters("rtmp"), SessionEvents.NONE, ActivityListener.NONE, bandwidth);
    }
}
