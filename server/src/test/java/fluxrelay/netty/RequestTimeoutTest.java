package fluxrelay.netty;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request and idle deadlines on the event loop's clock (frozen and moved by the test): a deadline is kept to the
 * millisecond whatever the deadlines before it, although arming only moves a deadline and one check per connection
 * reschedules itself.
 */
class RequestTimeoutTest {

    private static final long REQUEST_MS = 10_000;
    private static final long IDLE_MS = 60_000;

    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel open(long requestMs, long idleMs) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new RequestTimeout(requestMs, idleMs));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    private void request() {
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hls/room/ll.m3u8"));
        channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        releaseInbound();
    }

    private void respond() {
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }

    private void releaseInbound() {
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
    }

    @Test
    void aConnectionWithoutACompleteRequestIsClosedAtTheRequestTimeout() {
        open(REQUEST_MS, IDLE_MS);
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/slow"));
        releaseInbound();
        advance(REQUEST_MS - 1);
        assertTrue(channel.isOpen(), "closed before the request timeout");
        advance(1);
        assertFalse(channel.isOpen(), "a request trickling in is cut at the request timeout");
    }

    @Test
    void manyRequestsASecondThenSilenceCloseAtTheIdleTimeoutAfterTheLastResponse() {
        open(REQUEST_MS, IDLE_MS);
        for (int i = 0; i < 1_000; i++) { // 200 s of a player asking five times a second
            request();
            advance(100);
            respond();
            advance(100);
        }
        advance(IDLE_MS - 101);
        assertTrue(channel.isOpen(), "closed before the idle timeout counted from the last response");
        advance(1);
        assertFalse(channel.isOpen(), "an idle keep-alive connection is closed at the idle timeout");
    }

    @Test
    void aSlowRequestAfterAKeepAlivePauseIsCutAtItsOwnTimeoutNotTheLaterIdleDeadline() {
        open(REQUEST_MS, IDLE_MS);
        request();
        respond();
        advance(IDLE_MS - 1_000); // the idle deadline is 1 s away; the request deadline then set is 10 s away
        channel.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/slow"));
        releaseInbound();
        advance(REQUEST_MS - 1);
        assertTrue(channel.isOpen(), "the request's own deadline is counted from its start");
        advance(1);
        assertFalse(channel.isOpen(), "a slow request is cut at the request timeout");
    }

    @Test
    void aRequestBeingAnsweredIsNeverCutWhateverItsWait() {
        open(REQUEST_MS, 5_000); // idle below request: the checks run every 5 s
        request();
        advance(10 * IDLE_MS); // a held request (blocking reload) with no answer yet
        assertTrue(channel.isOpen(), "a request being handled is not timed");
        respond();
        advance(4_999);
        assertTrue(channel.isOpen());
        advance(1);
        assertFalse(channel.isOpen(), "idle again after the answer");
    }
}
