package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.KEY;
import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.rtmp.message.SetChunkSize;
import fluxrelay.rtmp.message.SetPeerBandwidth;
import fluxrelay.rtmp.message.UserControl;
import fluxrelay.rtmp.message.WindowAckSize;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The NetConnection/NetStream state machine against the command sequences real encoders send. */
class RtmpSessionTest {

    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private static String code(Object message) {
        CommandMessage command = assertInstanceOf(CommandMessage.class, message);
        return ((AmfObject) command.argument(0)).getString("code");
    }

    private static String description(Object message) {
        return ((AmfObject) ((CommandMessage) message).argument(0)).getString("description");
    }

    @Test
    void connectIsAnsweredAsFmsDoes() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"));
        List<Object> out = drain(channel);
        assertEquals(new WindowAckSize(5_000_000), out.get(0));
        assertEquals(new SetPeerBandwidth(5_000_000, 2), out.get(1));
        assertEquals(new SetChunkSize(4096), out.get(2));
        CommandMessage result = assertInstanceOf(CommandMessage.class, out.get(3));
        assertEquals("_result", result.name());
        assertEquals(1.0, result.transactionId());
        assertEquals("FMS/3,0,1,123", ((AmfObject) result.commandObject()).getString("fmsVer"));
        assertEquals("NetConnection.Connect.Success", code(result));
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void anUnknownAppIsRejectedAtConnect() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("vod"));
        List<Object> out = drain(channel);
        CommandMessage error = assertInstanceOf(CommandMessage.class, out.get(0));
        assertEquals("_error", error.name());
        assertEquals("NetConnection.Connect.Rejected", code(error));
        assertTrue(description(error).contains("vod"));
        assertFalse(channel.isActive());
    }

    @Test
    void obsPipelinedPublishSequenceIsAccepted() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"));
        drain(channel);
        // OBS sends these three without waiting for replies (captures/publish-obs.txt).
        channel.writeInbound(call("releaseStream", 2, new AmfString(KEY)), call("FCPublish", 3, new AmfString(KEY)),
                call("createStream", 4));
        List<Object> replies = drain(channel);
        assertEquals(3, replies.size());
        CommandMessage created = (CommandMessage) replies.get(2);
        assertEquals(4.0, created.transactionId());
        assertEquals(new AmfNumber(1), created.argument(0));

        channel.writeInbound(command(1, "publish", 5, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        List<Object> out = drain(channel);
        assertEquals("NetStream.Publish.Start", code(out.get(0)));
        assertEquals(1, ((CommandMessage) out.get(0)).messageStreamId());
        assertEquals("onFCPublish", ((CommandMessage) out.get(1)).name());
        assertTrue(fixture.streams.stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing(),
                "the room's input is published (its program follows at the first keyframe)");

        channel.writeInbound(call("FCUnpublish", 6, new AmfString(KEY)), call("deleteStream", 7, new AmfNumber(1)));
        List<Object> end = drain(channel);
        assertTrue(end.stream().anyMatch(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                && "NetStream.Unpublish.Success".equals(code(c))));
        assertFalse(fixture.streams.stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing());
        channel.finishAndReleaseAll();
    }

    @Test
    void aWrongStreamNameIsRefusedWithTheReasonAndTheConnectionClosed() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"), call("createStream", 2));
        drain(channel);
        channel.writeInbound(command(1, "publish", 3, AmfNull.INSTANCE, new AmfString("guess"), new AmfString("live")));
        List<Object> out = drain(channel);
        assertEquals("NetStream.Publish.BadName", code(out.get(0)));
        assertTrue(description(out.get(0)).contains("Unknown stream key"));
        assertFalse(channel.isActive());
    }

    @Test
    void keyGuessingIsSlowedPerAddress() {
        for (int i = 0; i < 3; i++) {
            EmbeddedChannel guess = fixture.connection();
            guess.writeInbound(connect("live"), call("createStream", 2),
                    command(1, "publish", 3, AmfNull.INSTANCE, new AmfString("guess-" + i), new AmfString("live")));
            assertTrue(description(drain(guess).stream().filter(CommandMessage.class::isInstance).reduce((a, b) -> b).orElseThrow())
                    .contains("Unknown stream key"));
        }
        EmbeddedChannel right = fixture.connection();
        right.writeInbound(connect("live"), call("createStream", 2),
                command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        Object last = drain(right).stream().filter(CommandMessage.class::isInstance).reduce((a, b) -> b).orElseThrow();
        assertEquals("NetStream.Publish.BadName", code(last));
        assertTrue(description(last).contains("Too many failed attempts"), "even the right key waits out the window");
        assertFalse(fixture.streams.stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing());
    }

    @Test
    void gstreamerRtmp2sinkQuirksAreHandled() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"));
        drain(channel);
        // rtmp2sink: transaction id 0 (no reply expected), publish on the command chunk stream,
        // deleteStream naming the stream instead of its id (captures/publish-gst-rtmp2sink.txt).
        channel.writeInbound(call("releaseStream", 0, new AmfString(KEY)), call("FCPublish", 0, new AmfString(KEY)));
        assertTrue(drain(channel).isEmpty());
        channel.writeInbound(call("createStream", 2));
        drain(channel);
        channel.writeInbound(command(1, "publish", 0, AmfNull.INSTANCE, new AmfString(KEY + "?token=abc"), new AmfString("live")));
        assertEquals("NetStream.Publish.Start", code(drain(channel).get(0)));
        channel.writeInbound(call("FCUnpublish", 0, new AmfString(KEY)), call("deleteStream", 0, new AmfString(KEY)));
        List<Object> end = drain(channel);
        assertTrue(end.stream().anyMatch(m -> m instanceof CommandMessage c && "NetStream.Unpublish.Success".equals(code(c))));
        assertFalse(fixture.streams.stream(fluxrelay.stream.FeedId.main("demo"), true).snapshot().publishing());
        channel.finishAndReleaseAll();
    }

    @Test
    void unknownCommandsGetAnErrorAndTheConnectionLivesOn() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"));
        drain(channel);
        channel.writeInbound(call("doSomethingOdd", 9));
        CommandMessage error = assertInstanceOf(CommandMessage.class, drain(channel).get(0));
        assertEquals("_error", error.name());
        assertEquals(9.0, error.transactionId());
        assertEquals("NetConnection.Call.Failed", code(error));
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void commandsBeforeConnectAreRefused() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(call("createStream", 2));
        CommandMessage error = assertInstanceOf(CommandMessage.class, drain(channel).get(0));
        assertEquals("_error", error.name());
        channel.finishAndReleaseAll();
    }

    @Test
    void aViewerWaitsForTheRoomThenGetsPublishNotifyAndFrames() {
        EmbeddedChannel viewer = fixture.connection();
        viewer.writeInbound(connect("live"), call("createStream", 2));
        drain(viewer);
        viewer.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("demo")));
        List<Object> playReplies = drain(viewer);
        assertEquals(UserControl.streamBegin(1), playReplies.get(0));
        assertEquals("NetStream.Play.Reset", code(playReplies.get(1)));
        assertEquals("NetStream.Play.Start", code(playReplies.get(2)));
        RawMessage sampleAccess = assertInstanceOf(RawMessage.class, playReplies.get(3));
        sampleAccess.release();

        EmbeddedChannel publisher = fixture.connection();
        publisher.writeInbound(connect("live"), call("createStream", 2),
                command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        drain(publisher);
        // AVC sequence header then a keyframe (FLV video tag bodies).
        publisher.writeInbound(new MediaMessage(9, 0, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f})));
        publisher.writeInbound(new MediaMessage(9, 0, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65})));
        List<Object> out = drain(viewer);
        assertTrue(out.stream().anyMatch(m -> m instanceof CommandMessage c && "NetStream.Play.PublishNotify".equals(code(c))), out::toString);
        List<RawMessage> media = out.stream().filter(RawMessage.class::isInstance).map(RawMessage.class::cast).toList();
        assertEquals(2, media.size());
        assertEquals(9, media.get(0).typeId());
        assertEquals(1, media.get(0).messageStreamId());
        out.forEach(ReferenceCountUtil::release);
        publisher.finishAndReleaseAll();
        viewer.finishAndReleaseAll();
    }

    @Test
    void playOfAnUnknownRoomIsStreamNotFound() {
        EmbeddedChannel channel = fixture.connection();
        channel.writeInbound(connect("live"), call("createStream", 2));
        drain(channel);
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString(KEY)));
        assertEquals("NetStream.Play.StreamNotFound", code(drain(channel).get(0)), "the stream key is not a playback name");
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    /** What the session logged while {@code action} ran. */
    private static List<String> sessionLog(Runnable action) {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(RtmpSession.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines = new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            action.run();
        } finally {
            logger.detachAppender(lines);
        }
        return lines.list.stream().map(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void aFloodOfHugeUnknownCommandsCostsAFewShortLinesAndCannotForgeOne() {
        List<String> logged = sessionLog(() -> {
            EmbeddedChannel channel = fixture.connection();
            channel.writeInbound(connect("live"));
            String huge = "x".repeat(65536) + "\r\n12:00:00 INFO forged line";
            for (int i = 0; i < 1000; i++) {
                channel.writeInbound(call(huge, 2 + i));
            }
            List<Object> replies = drain(channel);
            replies.forEach(ReferenceCountUtil::release);
            assertEquals(1004, replies.size(), "every call is still answered with an _error");
            channel.close();
        });
        long bytes = logged.stream().mapToLong(String::length).sum();
        assertTrue(logged.size() <= 12, logged.size() + " lines");
        assertTrue(bytes < 4096, bytes + " bytes of log for 64 MiB of command names");
        assertTrue(logged.stream().noneMatch(line -> line.contains("\n")), "no line breaks from the wire");
        assertTrue(logged.get(logged.size() - 1).contains("990 more log lines"), "the rest is summarised when the connection ends");
    }

    @Test
    void aStreamKeyPutInTheServerUrlIsNeverLoggedAndTheEncoderIsToldWhereItGoes() {
        List<String> logged = sessionLog(() -> {
            EmbeddedChannel channel = fixture.connection();
            channel.writeInbound(connect("live/" + KEY));
            List<Object> out = drain(channel);
            CommandMessage refusal = assertInstanceOf(CommandMessage.class, out.get(out.size() - 1));
            assertEquals("_error", refusal.name());
            assertTrue(((AmfObject) refusal.argument(0)).getString("description").contains("Stream Key field"));
        });
        assertTrue(logged.stream().noneMatch(line -> line.contains(KEY)), "the key is not logged");
        assertTrue(logged.stream().anyMatch(line -> line.contains("application 'live' followed by more")));
    }
}
