package fluxrelay.config;

/**
 * The socket transport ({@code relay.transport}, {@code relay.io-uring-completion-queue}).
 *
 * @param choice the transport asked for
 * @param ioUringCompletionQueue completion queue entries of each io_uring event loop (a power of two): room for a
 *     completion of every connection the loop writes to in one batch, so none overflows
 */
public record TransportConfig(TransportChoice choice, int ioUringCompletionQueue) {

    /** Netty's default ring (4,096 entries) with a completion queue sized for thousands of viewers per loop. */
    public static final TransportConfig DEFAULTS = new TransportConfig(TransportChoice.AUTO, 65536);
}
