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
 */
public final class RequestTimeout extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestTimeout.class);

    private final long requestTimeoutMillis;
    private final long idleTimeoutMillis;
    private ScheduledFuture<?> timer;
    private boolean inRequest;

    /**
     * @param requestTimeoutMillis the whole request (line, headers, body) must arrive within this
     * @param idleTimeoutMillis a keep-alive connection may wait this long for its next request
     */
    public RequestTimeout(long requestTimeoutMillis, long idleTimeoutMillis) {
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.idleTimeoutMillis = idleTimeoutMillis;
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
            cancel();
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

    private void arm(ChannelHandlerContext ctx, long millis, String why) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            log.info("{}: HTTP connection closed: {} within {} ms", ctx.channel().remoteAddress(), why, millis);
            ctx.close();
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
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
