package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.TestServices;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RTMP play names of one input (issue 19): {@code {room-id}/{input-id}} in application {@code live}, or the input's id
 * after a connect to {@code live/{room-id}} (how ffmpeg and librtmp split {@code rtmp://host/live/stage/cam2}).
 */
class InputPlayNamesTest {

    private static final String MAIN_KEY = "stage-main-key-0123456789";
    private static final String CAM2_KEY = "stage-cam2-key-0123456789";

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("stage", "Stage", "live",
            List.of(new Feed("main", MAIN_KEY), new Feed("cam2", CAM2_KEY)), true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final SessionContext context = TestServices.rtmp(
            TestServices.ingest(rooms, streams, new PublishAttemptLimiter(3, Duration.ofMinutes(1))),
            TestServices.playback(rooms, streams, BandwidthRegistry.disabled(), 100), BandwidthRegistry.disabled());

    @AfterEach
    void close() {
        streams.close();
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.7", 50000);
            }
        };
        channel.pipeline().addLast(new RtmpSession(context));
        return channel;
    }

    private static AmfObject info(Object message) {
        return (AmfObject) assertInstanceOf(CommandMessage.class, message).argument(0);
    }

    /** Connects to {@code app}, plays {@code name}; the replies to the play. */
    private List<Object> play(EmbeddedChannel channel, String app, String name) {
        channel.writeInbound(connect(app), call("createStream", 2));
        List<Object> connected = drain(channel);
        assertEquals("NetConnection.Connect.Success", info(connected.get(3)).getString("code"), app);
        connected.forEach(io.netty.util.ReferenceCountUtil::release);
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString(name)));
        List<Object> replies = drain(channel);
        // Only the commands are looked at: anything holding a buffer (raw control messages) is released here.
        replies.stream().filter(m -> !(m instanceof CommandMessage)).forEach(io.netty.util.ReferenceCountUtil::release);
        return replies;
    }

    private int viewers(String feed) {
        return streams.stream(new FeedId("stage", feed), true).snapshot().subscribers();
    }

    @ParameterizedTest(name = "app {0}, play {1}: input {2}")
    @CsvSource({
            "live,       stage,                program",
            "live,       stage/main,           main",
            "live,       stage/cam2,           cam2",
            "live,       stage/cam2?access=x,  cam2",
            "live/stage, cam2,                 cam2",
            "live/stage, main,                 main",
            "live/stage, cam2?bwtoken=y,       cam2",
    })
    void aNameNamesTheRoomsProgramOrOneInput(String app, String name, String feed) {
        EmbeddedChannel channel = connection();
        List<Object> out = play(channel, app, name);
        assertTrue(out.stream().anyMatch(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                && "NetStream.Play.Start".equals(info(c).getString("code"))), out.toString());
        assertEquals(1, viewers(feed), "the viewer watches " + feed);
        assertEquals(0, viewers(feed.equals("main") ? "cam2" : "main"), "and nothing else");
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest(name = "app {0}, play {1}")
    @CsvSource({
            "live,       stage/nope,      stage/nope",
            "live,       stage/CAM2,      stage/CAM2",
            "live,       stage/cam2/x,    stage/cam2/x",
            "live,       stage/,          stage/",
            "live,       /cam2,           /cam2",
            "live,       other/cam2,      other/cam2",
            "live/stage, nope,            stage/nope",
            "live/stage, cam2/main,       stage/cam2/main",
            "live/stage, '',              stage/",
    })
    void anUnknownOrMalformedInputIsStreamNotFound(String app, String name, String shown) {
        EmbeddedChannel channel = connection();
        List<Object> out = play(channel, app, name);
        AmfObject status = info(out.get(0));
        assertEquals("NetStream.Play.StreamNotFound", status.getString("code"));
        assertEquals("No such stream: " + shown + " (no such room or input).", status.getString("description"));
        assertTrue(channel.isActive(), "a bad play leaves the connection open");
        assertEquals(0, viewers("main") + viewers("cam2"));
        channel.finishAndReleaseAll();
    }

    @Test
    void anApplicationFollowedByNoRoomIsStillRefusedAtConnect() {
        for (String app : List.of("live/nope", "live/" + CAM2_KEY, "vod/stage", "live/stage/cam2")) {
            EmbeddedChannel channel = connection();
            channel.writeInbound(connect(app));
            CommandMessage refusal = assertInstanceOf(CommandMessage.class, drain(channel).get(0));
            assertEquals("_error", refusal.name(), app);
            assertEquals("NetConnection.Connect.Rejected", info(refusal).getString("code"), app);
            assertFalse(channel.isActive(), app);
        }
    }

    @Test
    void anEncoderConnectedToAnApplicationAndRoomIsToldWhereItsKeyGoes() {
        EmbeddedChannel channel = connection();
        channel.writeInbound(connect("live/stage"), call("createStream", 2));
        drain(channel);
        channel.writeInbound(command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(CAM2_KEY), new AmfString("live")));
        AmfObject status = info(drain(channel).get(0));
        assertEquals("NetStream.Publish.BadName", status.getString("code"));
        assertEquals("The server URL must end with /live: the stream key goes in the Stream Key field, not in the URL.",
                status.getString("description"));
        assertFalse(channel.isActive());
        assertFalse(streams.stream(new FeedId("stage", "cam2"), true).snapshot().publishing());
    }
}
