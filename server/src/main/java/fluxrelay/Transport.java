package fluxrelay;

import fluxrelay.config.TransportChoice;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport ({@code relay.transport}): native epoll on Linux when its library loads (fewer copies,
 * TCP_INFO), io_uring when asked for and the kernel allows it (sends and receives submitted in batches rather than one
 * system call each), NIO elsewhere.
 *
 * @param name "epoll", "io_uring" or "nio"
 * @param ioHandlers the event loop I/O handler factory
 * @param serverChannel the server channel class
 * @param socketChannel the client channel class (a cluster's pulls from other nodes)
 */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerChannel> serverChannel,
                 Class<? extends Channel> socketChannel) {

    private static final Logger log = LoggerFactory.getLogger(Transport.class);

    /**
     * Whether a connection can leave its event loop for another (deregistered, registered again) and read on:
     * epoll and NIO channels can; an io_uring channel stops reading after the move (Netty 4.2).
     */
    boolean movesChannels() {
        return !"io_uring".equals(name);
    }

    /** Today's default: epoll where it loads, NIO elsewhere. */
    static Transport best() {
        return epoll().orElseGet(Transport::nio);
    }

    /**
     * The transport {@code choice} names, or {@link #best()} with a warning when it cannot load here (no native
     * library for the platform, an old kernel, io_uring blocked by seccomp).
     */
    static Transport choose(TransportChoice choice) {
        Optional<Transport> asked = switch (choice) {
            case AUTO -> Optional.of(best());
            case EPOLL -> epoll();
            case IO_URING -> ioUring();
            case NIO -> Optional.of(nio());
        };
        return asked.orElseGet(() -> {
            Transport fallback = best();
            log.warn("relay.transport = {} is not available here ({}): using {}", choice.name().toLowerCase(Locale.ROOT),
                    unavailability(choice), fallback.name());
            return fallback;
        });
    }

    /** Whether {@code choice} loads on this machine without falling back. */
    static boolean available(TransportChoice choice) {
        return switch (choice) {
            case AUTO, NIO -> true;
            case EPOLL -> Epoll.isAvailable();
            case IO_URING -> IoUring.isAvailable();
        };
    }

    private static String unavailability(TransportChoice choice) {
        Throwable cause = switch (choice) {
            case EPOLL -> Epoll.unavailabilityCause();
            case IO_URING -> IoUring.unavailabilityCause();
            default -> null;
        };
        return cause == null ? "unknown cause" : String.valueOf(cause.getMessage());
    }

    private static Optional<Transport> epoll() {
        return Epoll.isAvailable()
                ? Optional.of(new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class))
                : Optional.empty();
    }

    private static Optional<Transport> ioUring() {
        return IoUring.isAvailable()
                ? Optional.of(new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                        IoUringSocketChannel.class))
                : Optional.empty();
    }

    private static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlers);
    }

    /** As {@link #newGroup(int)}, with threads named {@code name-N-M}, so log lines say which group they came from. */
    EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), ioHandlers);
    }
}
