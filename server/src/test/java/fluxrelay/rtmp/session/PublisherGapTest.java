package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.KEY;
import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.rtmp.message.UserControl;
import fluxrelay.stream.LiveStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What an RTMP viewer is told while its room's encoder stops and another comes: nothing within the publisher gap
 * grace (5 s in the test services), {@code Stream EOF} and {@code UnpublishNotify} once it passed, and at once when
 * the room is taken off the air or deleted.
 */
class PublisherGapTest {

    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private EmbeddedChannel connection() {
        return fixture.connection();
    }

    /** A viewer of room demo whose play replies were read. */
    private EmbeddedChannel viewer() {
        EmbeddedChannel viewer = connection();
        viewer.writeInbound(connect("live"), call("createStream", 2), command(1, "play", 0, AmfNull.INSTANCE, new AmfString("demo")));
        drain(viewer).forEach(ReferenceCountUtil::release);
        return viewer;
    }

    /** An encoder publishing to demo that sent an AVC sequence header and a keyframe at {@code timestamp}. */
    private EmbeddedChannel publisher(long timestamp) {
        EmbeddedChannel publisher = connection();
        publisher.writeInbound(connect("live"), call("createStream", 2),
                command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        drain(publisher);
        publisher.writeInbound(new MediaMessage(9, timestamp, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f})));
        publisher.writeInbound(new MediaMessage(9, timestamp, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65})));
        return publisher;
    }

    /** What the viewer was sent: status codes, user controls and media as "video@timestamp", in order. */
    private static List<String> sent(EmbeddedChannel viewer) {
        List<String> out = new ArrayList<>();
        for (Object message : drain(viewer)) {
            if (message instanceof CommandMessage c && c.name().equals("onStatus")) {
                out.add(((AmfObject) c.argument(0)).getString("code"));
            } else if (message instanceof UserControl uc) {
                out.add(uc.eventType() == UserControl.STREAM_EOF ? "StreamEOF" : uc.eventType() == UserControl.STREAM_BEGIN ? "StreamBegin"
                        : "UserControl " + uc.eventType());
            } else if (message instanceof RawMessage raw) {
                out.add((raw.typeId() == 9 ? "video@" : "type " + raw.typeId() + "@") + raw.timestamp());
            } else {
                out.add(message.getClass().getSimpleName());
            }
            ReferenceCountUtil.release(message);
        }
        return out;
    }

    @Test
    void anEncoderBackWithinTheGraceGoesOnSilentlyWithItsSequenceHeadersFirst() {
        EmbeddedChannel viewer = viewer();
        EmbeddedChannel first = publisher(0);
        // (An EmbeddedChannel runs queued tasks inside a write, so messages of one flush may come out of order here.)
        assertEquals(Set.of("StreamBegin", "NetStream.Play.PublishNotify", "video@0"), Set.copyOf(sent(viewer)));

        first.close(); // the encoder's connection ends
        assertEquals(List.of(), sent(viewer), "nothing at once");
        viewer.advanceTimeBy(4, TimeUnit.SECONDS);
        assertEquals(List.of(), sent(viewer), "nothing within the grace");

        publisher(90_000); // a reconnect: its own clock, far from the first one's
        List<String> resumed = sent(viewer);
        assertEquals(2, resumed.size(), resumed.toString());
        assertTrue(resumed.stream().allMatch(m -> m.startsWith("video@")), "no status, no user control: " + resumed);
        long at = Long.parseLong(resumed.get(0).substring("video@".length()));
        assertTrue(at >= 1 && at < 90_000, "the viewer's timeline goes on from where it was: " + resumed);

        viewer.advanceTimeBy(10, TimeUnit.SECONDS);
        assertEquals(List.of(), sent(viewer), "the unpublish that was due is forgotten");
        assertTrue(viewer.isActive());
    }

    @Test
    void anEncoderTakenOverByANewcomerGoesOnSilently() {
        EmbeddedChannel viewer = viewer();
        publisher(0);
        sent(viewer);
        LiveStream live = fixture.streams.stream(fluxrelay.stream.FeedId.main("demo"), true);
        // The hub ends the old publish and starts the new one back to back, as a takeover of a stale encoder does.
        assertTrue(live.evictPublisher("Taken over by a new publisher of the same stream."));
        publisher(0);
        List<String> resumed = sent(viewer);
        assertEquals(2, resumed.size(), resumed.toString());
        assertTrue(resumed.stream().allMatch(m -> m.startsWith("video@")), resumed.toString());
    }

    @Test
    void anEncoderGoneForGoodIsToldOnceTheGracePassedAndTheNextPublishIsAnnounced() {
        EmbeddedChannel viewer = viewer();
        EmbeddedChannel first = publisher(0);
        sent(viewer);
        first.close();
        assertEquals(List.of(), sent(viewer));
        viewer.advanceTimeBy(4, TimeUnit.SECONDS);
        assertEquals(List.of(), sent(viewer));
        viewer.advanceTimeBy(1, TimeUnit.SECONDS);
        assertEquals(List.of("StreamEOF", "NetStream.Play.UnpublishNotify"), sent(viewer));

        publisher(0);
        List<String> next = sent(viewer);
        assertTrue(next.containsAll(List.of("StreamBegin", "NetStream.Play.PublishNotify")), "the next publish is announced: " + next);
        assertEquals(2, next.stream().filter(m -> m.startsWith("video@")).count(), next.toString());
        assertTrue(viewer.isActive());
    }

    @Test
    void aRoomTakenOffTheAirIsToldAtOnce() {
        EmbeddedChannel viewer = viewer();
        publisher(0);
        sent(viewer);
        fixture.streams.stream("demo", true).setShown(false);
        assertEquals(List.of("StreamEOF", "NetStream.Play.UnpublishNotify"), sent(viewer));
    }

    @Test
    void aRoomDeletedWithinTheGraceEndsThePlayAndNothingFollows() {
        EmbeddedChannel viewer = viewer();
        EmbeddedChannel first = publisher(0);
        sent(viewer);
        first.close();
        assertEquals(List.of(), sent(viewer));
        fixture.streams.stream("demo", true).close("The room was deleted.");
        assertEquals(List.of("StreamEOF", "NetStream.Play.Stop"), sent(viewer));
        assertFalse(viewer.isActive());
        viewer.advanceTimeBy(10, TimeUnit.SECONDS);
        assertEquals(List.of(), sent(viewer));
    }
}
