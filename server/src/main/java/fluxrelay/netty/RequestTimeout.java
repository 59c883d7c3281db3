package fluxrelay.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP connection whose request does not arrive in time (slowloris: headers trickled byte by
 * byte) and a keep-alive connection idle between requests. Armed when the connection opens and after each
 * response; disarmed while a request is being handled. A streaming response removes this handler.
 *
 * <p>Arming and disarming only move a deadline: one check per connection runs at most every
 * {@code min(request, idle)} timeout and schedules the next, so a keep-alive connection making many requests a
 * second (a Low-Latency HLS player) costs the event loop's timer queue no insert and removal per request.
 */
public final class RequestTimeout extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestTimeout.class);

    private final long requestTimeoutMillis;
    private final long idleTimeoutMillis;
    /** The longest a check is scheduled ahead: never later than any deadline an arm can set from then on. */
    private final long stepNanos;
    private ScheduledFuture<?> check;
    private long checkAt;
    private boolean armed;
    private long deadline;
    private long limitMillis;
    private String why;
    private boolean inRequest;

    /**
     * @param requestTimeoutMillis the whole request (line, headers, body) must arrive within this
     * @param idleTimeoutMillis a keep-alive connection may wait this long for its next request
     */
    public RequestTimeout(long requestTimeoutMillis, long idleTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.stepNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(requestTimeoutMillis, idleTimeoutMillis));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx, requestTimeoutMillis, "no complete request");
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest && !inRequest) {
            inRequest = true;
            arm(ctx, requestTimeoutMillis, "request body too slow");
        }
        if (msg instanceof LastHttpContent) {
            armed = false;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent) {
            inRequest = false;
            arm(ctx, idleTimeoutMillis, "idle keep-alive connection");
        }
        ctx.write(msg, promise);
    }

    private void arm(ChannelHandlerContext ctx, long millis, String reason) {
        long now = ctx.executor().ticker().nanoTime();
        armed = true;
        deadline = now + TimeUnit.MILLISECONDS.toNanos(millis);
        limitMillis = millis;
        why = reason;
        if (check == null || checkAt - deadline > 0) {
            // No check pending (or, with a zero timeout, one too late for this deadline).
            cancelCheck();
            schedule(ctx, now);
        }
    }

    private void schedule(ChannelHandlerContext ctx, long now) {
        long delay = Math.min(deadline - now, stepNanos);
        checkAt = now + delay;
        check = ctx.executor().schedule(() -> check(ctx), Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (!armed) {
            return; // the next arm schedules again
        }
        long now = ctx.executor().ticker().nanoTime();
        if (now - deadline >= 0) {
            log.info("{}: HTTP connection closed: {} within {} ms", ctx.channel().remoteAddress(), why, limitMillis);
            ctx.close();
        } else {
            schedule(ctx, now);
        }
    }

    private void cancel() {
        armed = false;
        cancelCheck();
    }

    private void cancelCheck() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
