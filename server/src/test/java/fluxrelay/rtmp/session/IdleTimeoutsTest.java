package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.KEY;
import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.message.MediaMessage;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection watchdog: a connection that neither publishes nor plays, a publisher that sends no media and a viewer
 * that receives nothing are each closed once their own timeout passed, judged at the watchdog's check (every 2 s), and
 * a connection busy in one role is never closed for the other's timeout. Timeouts of 1 ns make "passed" certain at
 * the first check, whose time the test moves on the channel's clock.
 */
class IdleTimeoutsTest {

    private static final Duration NOW = Duration.ofNanos(1);
    private static final Duration NEVER = Duration.ofDays(1);

    private final SessionFixture fixture = new SessionFixture();

    @AfterEach
    void close() {
        fixture.close();
    }

    private EmbeddedChannel connection(Duration publisherIdle, Duration connectionIdle, Duration viewerIdle) {
        SessionSettings settings = new SessionSettings(4096, 5_000_000, 5_000_000, publisherIdle, connectionIdle, 16, viewerIdle);
        return fixture.connection(fixture.context(settings));
    }

    /** Runs the watchdog's next check. */
    private static void check(EmbeddedChannel channel) {
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private static void play(EmbeddedChannel viewer) {
        viewer.writeInbound(connect("live"), call("createStream", 2), command(1, "play", 0, AmfNull.INSTANCE, new AmfString("demo")));
        drain(viewer).forEach(ReferenceCountUtil::release);
    }

    private static void publishWithMedia(EmbeddedChannel publisher) {
        publisher.writeInbound(connect("live"), call("createStream", 2),
                command(1, "publish", 3, AmfNull.INSTANCE, new AmfString(KEY), new AmfString("live")));
        publisher.writeInbound(new MediaMessage(9, 0, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f})));
        publisher.writeInbound(new MediaMessage(9, 0, 1, Unpooled.wrappedBuffer(new byte[] {0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65})));
        drain(publisher).forEach(ReferenceCountUtil::release);
    }

    @Test
    void aConnectionThatNeitherPublishesNorPlaysIsClosedAfterTheConnectionTimeout() {
        EmbeddedChannel idle = connection(NEVER, NOW, NEVER);
        idle.writeInbound(connect("live"));
        drain(idle).forEach(ReferenceCountUtil::release);
        assertTrue(idle.isActive());
        check(idle);
        assertFalse(idle.isActive());
    }

    @Test
    void aViewerIsNotAnIdleConnectionButIsClosedOnceItReceivedNothingForTheViewerTimeout() {
        // The room has no encoder: the viewer waits and receives nothing.
        EmbeddedChannel waiting = connection(NEVER, NOW, NEVER);
        play(waiting);
        check(waiting);
        assertTrue(waiting.isActive(), "playing is activity, whatever the connection timeout");

        EmbeddedChannel starved = connection(NEVER, NEVER, NOW);
        play(starved);
        check(starved);
        assertFalse(starved.isActive(), "nothing received for the viewer timeout");
    }

    @Test
    void aPublisherIsClosedOnceItSentNoMediaForThePublisherTimeoutAndNotBefore() {
        EmbeddedChannel publisher = connection(NEVER, NOW, NEVER);
        publishWithMedia(publisher);
        check(publisher);
        assertTrue(publisher.isActive(), "publishing is activity, whatever the connection timeout");

        publisher.close();
        EmbeddedChannel silent = connection(NOW, NEVER, NEVER);
        publishWithMedia(silent);
        check(silent);
        assertFalse(silent.isActive(), "no media for the publisher timeout");
    }
}
