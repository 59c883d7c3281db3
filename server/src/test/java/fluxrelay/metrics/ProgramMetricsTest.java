package fluxrelay.metrics;

import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import fluxrelay.program.ProgramListener;
import fluxrelay.program.ProgramPolicy;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.program.SwitchReason;
import fluxrelay.program.Switched;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import fluxrelay.testing.LivePublisher;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProgramMetricsTest {

    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 100));
    private final Room room = new Room("r", "R", "live", "key-r-0123456789abcdef", true);
    private final ProgramSwitches switches = new ProgramSwitches(streams, id -> id.equals("r") ? Optional.of(room) : Optional.empty(),
            ProgramPolicy.DEFAULTS, ProgramListener.NONE);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProgramMetrics metrics = new ProgramMetrics(() -> List.of("r", "z"), switches, 1);

    @AfterEach
    void close() {
        switches.close();
        streams.close();
        registry.close();
    }

    @Test
    void switchesAreCountedByReasonAndTheInputOnAirIsAGauge() {
        metrics.bindTo(registry);
        metrics.switched("r", new Switched(Instant.now(), "main", "backup", SwitchReason.FAILOVER, false));
        metrics.switched("r", new Switched(Instant.now(), "backup", "main", SwitchReason.FAILBACK, false));
        metrics.switched("z", new Switched(Instant.now(), "main", "backup", SwitchReason.FAILOVER, false));
        assertEquals(1, registry.get("fluxrelay.program.switches").tags("room", "r", "reason", "failover").counter().count());
        assertEquals(1, registry.get("fluxrelay.program.switches").tags("room", "r", "reason", "failback").counter().count());
        assertEquals(1, registry.get("fluxrelay.program.switches").tags("room", "_other", "reason", "failover").counter().count(),
                "rooms past max-room-labels share _other");

        PublisherSlot main = assertInstanceOf(PublishClaim.Granted.class,
                streams.stream(new FeedId("r", "main"), true).claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(3))).slot();
        main.publish(videoHeader(0));
        main.publish(keyframe(0, 10));
        metrics.refresh();
        assertEquals(1.0, registry.get("fluxrelay.program.input").tags("room", "r", "input", "main").gauge().value());
        main.close();
        metrics.refresh();
        assertEquals(0, registry.find("fluxrelay.program.input").gauges().size(), "no program, no row");
    }

    @Test
    void anInputWithOtherCodecParametersThanTheMainIsAGauge() {
        metrics.bindTo(registry);
        Room two = new Room("r", "R", "live", List.of(new Feed("main", "key-main-0123456789"), new Feed("backup",
                "key-backup-0123456789", Feed.ROLE_BACKUP)), true);
        ProgramSwitches programs = new ProgramSwitches(streams, id -> Optional.of(two), ProgramPolicy.DEFAULTS,
                ProgramListener.NONE);
        ProgramMetrics meters = new ProgramMetrics(() -> List.of("r"), programs, 10);
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        meters.bindTo(own);
        try {
            PublisherSlot main = claim(new FeedId("r", "main"));
            main.publish(videoHeader(0));
            PublisherSlot backup = claim(new FeedId("r", "backup"));
            backup.publish(new VideoFrame(0, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5,
                    Unpooled.buffer(12).writeZero(12)));
            meters.refresh();
            assertEquals(1.0, own.get("fluxrelay.input.mismatch").tags("room", "r", "input", "backup").gauge().value());
            assertEquals(0.0, own.get("fluxrelay.input.mismatch").tags("room", "r", "input", "main").gauge().value());
            backup.close();
            meters.refresh();
            assertEquals(0.0, own.get("fluxrelay.input.mismatch").tags("room", "r", "input", "backup").gauge().value(),
                    "a backup that stopped no longer differs");
            main.close();
        } finally {
            programs.close();
            own.close();
        }
    }

    private PublisherSlot claim(FeedId feed) {
        return assertInstanceOf(PublishClaim.Granted.class, streams.stream(feed, true)
                .claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(3))).slot();
    }
}
