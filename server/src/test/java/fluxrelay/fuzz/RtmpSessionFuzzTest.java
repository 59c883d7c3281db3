package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.IngestEvents;
import fluxrelay.ingest.IngestService;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.message.AggregateSplitter;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import fluxrelay.rtmp.message.RtmpMessageEncoder;
import fluxrelay.rtmp.session.RtmpSession;
import fluxrelay.rtmp.session.SessionContext;
import fluxrelay.rtmp.session.SessionEvents;
import fluxrelay.rtmp.session.SessionSettings;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The whole inbound RTMP pipeline after the handshake, session included, as
 * {@code RtmpChannelInitializer} builds it, over an in-memory room whose stream key is the one in the
 * ffmpeg capture the seeds come from: so connect, publish, metadata, sequence headers and media
 * reach the ingest adapter, the FLV demuxer, the codec parsers and the hub. Whatever the bytes, no
 * exception leaves the pipeline, nothing is logged as an unexpected failure (the session logs and
 * swallows exceptions of its handlers), and once the connection and the hub are closed every buffer
 * is released.
 */
class RtmpSessionFuzzTest {

    private static final int HANDSHAKE = 3073;
    private static final SocketAddress ENCODER = new InetSocketAddress("192.0.2.7", 50000);
    private static final SessionSettings SETTINGS = new SessionSettings(4096, 5_000_000, 5_000_000,
            Duration.ofSeconds(10), Duration.ofSeconds(60), 4, Duration.ofMinutes(30));
    private static FuzzScope scope;

    @BeforeAll
    static void openScope() {
        scope = FuzzScope.open();
    }

    @AfterAll
    static void closeScope() {
        scope.close();
    }

    @FuzzTest
    void publishSession(byte[] input) {
        scope.clear();
        TrackingAllocator alloc = new TrackingAllocator();
        InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("demo", "Demo", "live", "replay-test", true)));
        StreamRegistry streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
        PublishAuthorizer authorizer = new PublishAuthorizer(rooms);
        IngestService ingest = new IngestService(rooms, authorizer, new PublishAttemptLimiter(10, Duration.ofMinutes(1)), streams,
                ActivityListener.NONE, IngestEvents.NONE,
                new IngestService.Settings(new IngestPolicy(1920, 1080, 60, 1000, 6000, false), Duration.ofSeconds(3)));
        SessionContext context = new SessionContext(ingest,
                new PlaybackService(rooms, streams, BandwidthRegistry.disabled(), null, 1000), SETTINGS,
                new ViewerLimits(1 << 20, Duration.ofSeconds(10), Duration.ZERO), new EgressCounters("rtmp"),
                SessionEvents.NONE, ActivityListener.NONE, BandwidthRegistry.disabled());
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return ENCODER;
            }
        };
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkEncoder(), new ChunkDecoder(ChunkStreamFuzzTest.CHUNK_LIMITS, HANDSHAKE),
                new AggregateSplitter(), new RtmpMessageEncoder(), new RtmpMessageDecoder(ChunkStreamFuzzTest.AMF_LIMITS),
                new RtmpSession(context));
        try {
            for (int[] piece : Pieces.of(input)) {
                if (!channel.isOpen()) {
                    break;
                }
                channel.writeInbound(alloc.copyOf(input, piece[0], piece[1] - piece[0]));
                channel.runPendingTasks();
                channel.checkException();
                channel.releaseOutbound();
                assertNull(channel.readInbound(), "the session is the last inbound handler");
            }
            channel.close();
            channel.runPendingTasks();
            channel.checkException();
        } finally {
            streams.close();
            channel.runPendingTasks();
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased("RTMP session");
        scope.assertNoUnexpectedFailure("RTMP session");
    }
}
