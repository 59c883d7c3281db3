package fluxrelay.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Setup loops: new connections are accepted onto a small group of event loops of their own and moved to a worker
 * loop only when they start carrying media (a play or a publish). A worker loop serving a crowd spends most of its
 * time in flush ticks and frame deliveries; a joiner's handshake and commands queued behind them waited 5 to 46 ms
 * per round trip under a join burst. On a setup loop they are answered at once, and only the last step waits for the
 * worker.
 *
 * <p>Ingest loops: a connection that publishes moves from its setup loop to a group of loops of its own instead of a
 * worker. A worker runs its flush ticks as single tasks of up to a few hundred milliseconds under a large audience;
 * a publisher read on that loop waited for them, and a frame held up there is held up for every viewer of the room,
 * on every loop. On an ingest loop the publisher's frames are read and handed to the workers at once.
 *
 * <p>The move is Netty's deregister and register: the socket, its pipeline and whatever its handlers hold go along;
 * what a handler scheduled on the setup loop stays there, so callers move before they start anything scheduled (or
 * make such tasks follow the channel, {@link #onChannelLoop}). Only transports whose channels resume reading once
 * registered again can move (epoll and NIO; io_uring does not), see {@link #of}.
 */
public final class LoopHandover {

    /** No setup loops: connections live on the loop they were accepted onto. */
    public static final LoopHandover NONE = new LoopHandover(null, null, null);

    private final EventLoopGroup setup;
    private final EventLoopGroup workers;
    private final EventLoopGroup ingest;

    private LoopHandover(EventLoopGroup setup, EventLoopGroup workers, EventLoopGroup ingest) {
        this.setup = setup;
        this.workers = workers;
        this.ingest = ingest;
    }

    /** Connections accepted onto {@code setup} move to {@code workers}; with a null {@code setup} they stay on {@code workers}. */
    public static LoopHandover of(EventLoopGroup setup, EventLoopGroup workers) {
        return new LoopHandover(setup, workers, null);
    }

    /**
     * As {@link #of(EventLoopGroup, EventLoopGroup)}, with publishers moving to {@code ingest} instead (null: to the
     * workers too). Ingest loops take publishers from setup loops only, so they need {@code setup}.
     */
    public static LoopHandover of(EventLoopGroup setup, EventLoopGroup workers, EventLoopGroup ingest) {
        if (ingest != null && setup == null) {
            throw new IllegalArgumentException("ingest loops take publishers from setup loops: none given");
        }
        return new LoopHandover(setup, workers, ingest);
    }

    /** The group new connections are registered with: the setup loops, or the workers when there are none. */
    public EventLoopGroup acceptInto() {
        return setup == null ? workers : setup;
    }

    /** The setup loops, or null when there are none. */
    public EventLoopGroup setupLoops() {
        return setup;
    }

    /** The ingest loops, or null when publishers move to the workers. */
    public EventLoopGroup ingestLoops() {
        return ingest;
    }

    /** The setup and ingest loops there are (not the workers'): the groups this handover adds to the server's. */
    public List<EventLoopGroup> ownGroups() {
        return Stream.of(setup, ingest).filter(Objects::nonNull).toList();
    }

    /** Whether {@code channel} is on a setup loop, so it must {@link #move} before carrying media. */
    public boolean mustMove(Channel channel) {
        return setup != null && channel.eventLoop().parent() == setup;
    }

    /**
     * Moves {@code channel} (on its setup loop, called there) to the next worker loop, or ingest loop when it
     * {@code publishes} and there are some, and runs {@code moved} on it once registered; reads stop from the
     * deregistration until then. On failure (the channel closed meanwhile, the server closing) {@code failed} runs
     * instead, on whichever loop saw it.
     */
    public void move(Channel channel, boolean publishes, Runnable moved, Consumer<Throwable> failed) {
        EventLoop target = (publishes && ingest != null ? ingest : workers).next();
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
