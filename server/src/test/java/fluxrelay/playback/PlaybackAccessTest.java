package fluxrelay.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.access.AccessPolicy;
import fluxrelay.access.AccessRefusal;
import fluxrelay.access.AccessTokens;
import fluxrelay.access.Revocations;
import fluxrelay.access.ViewerAccess;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.media.MediaFrame;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.DropCounters;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.Viewer;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Viewer access tokens at the one admission point: every kind of viewer, every refusal, revocation kicks. */
class PlaybackAccessTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(
            new Room("open", "Open", "live", "open-key-0123456789", true),
            new Room("webinar", "Webinar", "live", "webinar-key-0123456789", true),
            new Room("other", "Other", "live", "other-key-0123456789", true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final AccessTokens tokens = new AccessTokens(List.of(SECRET));
    private final AccessPolicy access = new AccessPolicy(ViewerAccess.OPEN, tokens,
            new Revocations(100, Clock.systemUTC()), "access", Clock.systemUTC());
    private final PlaybackService service = new PlaybackService(rooms, streams, BandwidthRegistry.disabled(), null, 1,
            FeedSources.LOCAL, InternalPlays.NONE, access);

    PlaybackAccessTest() {
        access.set("webinar", ViewerAccess.TOKEN);
        access.set("other", ViewerAccess.TOKEN);
    }

    @AfterEach
    void close() {
        streams.close();
    }

    private String token(String room, Duration ttl, String attendee, String address) {
        return tokens.sign(room, java.time.Instant.now().plus(ttl), attendee, address);
    }

    private PlayDecision admit(ViewerKind kind, String room, String token, String address) {
        return service.admit(PlayRequest.of(kind == ViewerKind.HLS ? null : "live", room, kind, null, "v").withAccess(token, address));
    }

    private static AccessRefusal denied(PlayDecision decision) {
        return assertInstanceOf(PlayDecision.Denied.class, decision).reason();
    }

    @Test
    void anOpenRoomPlaysWithoutToken() {
        for (ViewerKind kind : ViewerKind.values()) {
            assertNull(assertInstanceOf(PlayDecision.Admitted.class, admit(kind, "open", null, null)).access());
        }
    }

    @Test
    void everyKindOfViewerNeedsAValidTokenInATokenRoom() {
        for (ViewerKind kind : ViewerKind.values()) {
            assertEquals(AccessRefusal.MISSING, denied(admit(kind, "webinar", null, null)), kind.label());
            assertEquals(AccessRefusal.EXPIRED, denied(admit(kind, "webinar", token("webinar", Duration.ofSeconds(-1), "A-1", null),
                    null)), kind.label());
            assertEquals(AccessRefusal.OTHER_ROOM, denied(admit(kind, "webinar", token("other", Duration.ofHours(1), "A-1", null),
                    null)), kind.label());
            String forged = new AccessTokens(List.of("not-the-platform-secret-0123456789ab")).sign("webinar",
                    java.time.Instant.now().plusSeconds(3600), "A-1", null);
            assertEquals(AccessRefusal.BAD_SIGNATURE, denied(admit(kind, "webinar", forged, null)), kind.label());
            assertEquals(AccessRefusal.WRONG_ADDRESS, denied(admit(kind, "webinar",
                    token("webinar", Duration.ofHours(1), "A-1", "203.0.113.7"), "198.51.100.1")), kind.label());
            PlayDecision.Admitted admitted = assertInstanceOf(PlayDecision.Admitted.class,
                    admit(kind, "webinar", token("webinar", Duration.ofHours(1), "A-1", "203.0.113.7"), "203.0.113.7"));
            assertEquals("A-1", admitted.attendee(), kind.label());
        }
        for (AccessRefusal reason : List.of(AccessRefusal.MISSING, AccessRefusal.EXPIRED, AccessRefusal.OTHER_ROOM,
                AccessRefusal.BAD_SIGNATURE, AccessRefusal.WRONG_ADDRESS)) {
            assertEquals(ViewerKind.values().length, access.refusals(reason), reason.label());
        }
    }

    @Test
    void aViewerWithoutTokenLearnsNothingAboutCapacity() {
        streams.stream(FeedId.program("webinar"), true).subscribe(new Watching(null));
        assertEquals(AccessRefusal.MISSING, denied(admit(ViewerKind.RTMP, "webinar", null, null)));
        assertInstanceOf(PlayDecision.Full.class, admit(ViewerKind.RTMP, "webinar", token("webinar", Duration.ofHours(1), null, null),
                null));
    }

    @Test
    void revokingAnAttendeeRefusesItsTokensAndDisconnectsItsViewers() {
        Watching revoked = new Watching("A-1");
        Watching kept = new Watching("A-2");
        streams.stream(FeedId.program("webinar"), true).subscribe(revoked);
        streams.stream(FeedId.program("other"), true).subscribe(kept);
        access.revocations().revoke("A-1");
        assertEquals("access revoked", revoked.kicked);
        assertNull(kept.kicked);
        for (ViewerKind kind : ViewerKind.values()) {
            assertEquals(AccessRefusal.REVOKED, denied(admit(kind, "webinar", token("webinar", Duration.ofHours(1), "A-1", null), null)));
        }
        assertEquals(ViewerKind.values().length, access.refusals(AccessRefusal.REVOKED));
    }

    @Test
    void requestsNeverPrintTheirTokens() {
        String token = token("webinar", Duration.ofHours(1), "A-1", null);
        PlayRequest request = PlayRequest.of("live", "webinar", ViewerKind.RTMP, "bandwidth-token", "v").withAccess(token, "203.0.113.7");
        assertTrue(!request.toString().contains(token) && !request.toString().contains("bandwidth-token"), request.toString());
    }

    /** A subscribed viewer playing as an attendee; remembers the reason it was kicked with. */
    private static final class Watching implements Viewer {
        private final String attendee;
        private volatile String kicked;

        Watching(String attendee) {
            this.attendee = attendee;
        }

        @Override
        public String attendee() {
            return attendee;
        }

        @Override
        public void kick(String reason) {
            kicked = reason;
        }

        @Override
        public long viewerId() {
            return 1;
        }

        @Override
        public String protocol() {
            return "rtmp";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public long joinedAtMillis() {
            return 0;
        }

        @Override
        public long bytesSent() {
            return 0;
        }

        @Override
        public DropCounters drops() {
            return new DropCounters();
        }

        @Override
        public boolean lagging() {
            return false;
        }

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void onStreamStart(StreamStart start) {
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frame.release();
        }

        @Override
        public void onStreamStop(StreamStop reason) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }
}
