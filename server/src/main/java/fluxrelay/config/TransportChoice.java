package fluxrelay.config;

/**
 * The socket transport the operator asks for ({@code relay.transport}); the composition root maps it to Netty's and
 * falls back, saying so in the log, when the asked one cannot load on this machine.
 */
public enum TransportChoice {
    /** Native epoll where it loads (Linux), NIO elsewhere. */
    AUTO,
    /** Native epoll (Linux). */
    EPOLL,
    /** Linux io_uring (kernel 5.14 or later, not blocked by a seccomp profile). */
    IO_URING,
    /** Java NIO, on every platform. */
    NIO
}
