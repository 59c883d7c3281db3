package fluxrelay.http;

import fluxrelay.hls.HlsRoom;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * One HTTP request waiting for a room's HLS output to reach a point (a blocking playlist reload or a blocking
 * part request, RFC 8216bis 6.2.5.2 and 6.2.6, or the first playlist of a publish that goes on after a failover)
 * without a thread: it is a listener of the room, checked on the packaging thread after each new part or playlist, and answers on the connection's event loop once
 * ready, on time-out, or not at all when the connection closes first. Exactly one of the outcomes runs.
 */
final class BlockingWait implements Runnable {

    private final ChannelHandlerContext ctx;
    private final HlsRoom room;
    private final BooleanSupplier ready;
    private final Runnable answer;
    private final Runnable timedOut;
    private final AtomicBoolean done = new AtomicBoolean();
    private final ChannelFutureListener closed = future -> finish(null);
    private final java.util.function.Consumer<fluxrelay.hls.Playlists> playlists = next -> run();
    private ScheduledFuture<?> timer;

    /**
     * @param ready true once the request can be answered; called on the packaging thread, must not block
     * @param answer sends the response, on the event loop
     * @param timedOut sends the time-out response, on the event loop
     */
    BlockingWait(ChannelHandlerContext ctx, HlsRoom room, BooleanSupplier ready, Runnable answer, Runnable timedOut) {
        this.ctx = ctx;
        this.room = room;
        this.ready = ready;
        this.answer = answer;
        this.timedOut = timedOut;
    }

    /** Starts waiting at most {@code timeoutMillis}; call on the connection's event loop. */
    void start(long timeoutMillis) {
        room.addLowLatencyListener(this);
        room.addListener(playlists);
        ctx.channel().closeFuture().addListener(closed);
        timer = ctx.executor().schedule(() -> finish(timedOut), timeoutMillis, TimeUnit.MILLISECONDS);
        run(); // the part may have come between the caller's check and the listener's registration
    }

    @Override
    public void run() {
        if (!done.get() && ready.getAsBoolean()) {
            finish(answer);
        }
    }

    private void finish(Runnable outcome) {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        room.removeLowLatencyListener(this);
        room.removeListener(playlists);
        if (ctx.executor().inEventLoop()) {
            complete(outcome);
        } else {
            ctx.executor().execute(() -> complete(outcome));
        }
    }

    private void complete(Runnable outcome) {
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.channel().closeFuture().removeListener(closed);
        if (outcome != null && ctx.channel().isActive()) {
            outcome.run();
        }
    }
}
