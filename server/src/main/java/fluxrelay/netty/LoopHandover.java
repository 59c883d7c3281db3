package fluxrelay.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.function.Consumer;

/**
 * Setup loops: new connections are accepted onto a small group of event loops of their own and moved to a worker
 * loop only when they start carrying media (a play or a publish). A worker loop serving a crowd spends most of its
 * time in flush ticks and frame deliveries; a joiner's handshake and commands queued behind them waited 5 to 46 ms
 * per round trip under a join burst. On a setup loop they are answered at once, and only the last step waits for the
 * worker.
 *
 * <p>The move is Netty's deregister and register: the socket, its pipeline and whatever its handlers hold go along;
 * what a handler scheduled on the setup loop stays there, so callers move before they start anything scheduled (or
 * make such tasks follow the channel, {@link #onChannelLoop}). Only transports whose channels resume reading once
 * registered again can move (epoll and NIO; io_uring does not), see {@link #of}.
 */
public final class LoopHandover {

    /** No setup loops: connections live on the loop they were accepted onto. */
    public static final LoopHandover NONE = new LoopHandover(null, null);

    private final EventLoopGroup setup;
    private final EventLoopGroup workers;

    private LoopHandover(EventLoopGroup setup, EventLoopGroup workers) {
        this.setup = setup;
        this.workers = workers;
    }

    /** Connections accepted onto {@code setup} move to {@code workers}; with a null {@code setup} they stay on {@code workers}. */
    public static LoopHandover of(EventLoopGroup setup, EventLoopGroup workers) {
        return new LoopHandover(setup, workers);
    }

    /** The group new connections are registered with: the setup loops, or the workers when there are none. */
    public EventLoopGroup acceptInto() {
        return setup == null ? workers : setup;
    }

    /** The setup loops, or null when there are none. */
    public EventLoopGroup setupLoops() {
        return setup;
    }

    /** Whether {@code channel} is on a setup loop, so it must {@link #move} before carrying media. */
    public boolean mustMove(Channel channel) {
        return setup != null && channel.eventLoop().parent() == setup;
    }

    /**
     * Moves {@code channel} (on its setup loop, called there) to the next worker loop and runs {@code moved} on it once
     * registered; reads stop from the deregistration until then. On failure (the channel closed meanwhile, the server
     * closing) {@code failed} runs instead, on whichever loop saw it.
     */
    public void move(Channel channel, Runnable moved, Consumer<Throwable> failed) {
        EventLoop target = workers.next();
        channel.deregister().addListener(off -> {
            if (!off.isSuccess()) {
                failed.accept(off.cause());
                return;
            }
            target.register(channel).addListener(on -> {
                if (on.isSuccess()) {
                    moved.run();
                } else {
                    failed.accept(on.cause());
                }
            });
        });
    }

    /**
     * {@code task} run on the loop {@code channel} is on when it fires: a timer scheduled before a move then still
     * runs on the connection's loop, not on the one it was scheduled on.
     */
    public static Runnable onChannelLoop(Channel channel, Runnable task) {
        return () -> {
            EventLoop loop = channel.eventLoop();
            if (loop.inEventLoop()) {
                task.run();
            } else {
                loop.execute(task);
            }
        };
    }
}
