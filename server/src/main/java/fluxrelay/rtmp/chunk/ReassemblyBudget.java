package fluxrelay.rtmp.chunk;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes that all connections together may hold in partial messages (RTMP spec 5.3: a message is
 * buffered until its last chunk arrives), shared by every {@link ChunkDecoder} of a server. A decoder
 * reserves a message's declared length before it allocates for it and releases it when the message is
 * complete, aborted or dropped with its connection.
 *
 * <p>Untrusted connections (before {@link PeerTrusted}) may together hold at most
 * {@link #untrustedCapacity()}; trusted ones share the rest of {@link #capacity()} with them. So
 * strangers opening connections can never take from trusted peers more than the untrusted share,
 * however many of them there are: a trusted reservation fails only when trusted peers hold more than
 * {@code capacity - untrustedCapacity} themselves.
 *
 * <p>Thread-safe; a pure counter that allocates nothing and knows nothing of connections.
 */
public final class ReassemblyBudget {

    private final long capacity;
    private final long untrustedCapacity;
    private final AtomicLong reserved = new AtomicLong();
    private final AtomicLong reservedUntrusted = new AtomicLong();
    private final LongAdder serverRefusals = new LongAdder();
    private final LongAdder connectionRefusals = new LongAdder();

    /**
     * @param capacity bytes all connections together may hold in partial messages
     * @param untrustedCapacity the part of it that untrusted connections may hold together (0..capacity)
     */
    public ReassemblyBudget(long capacity, long untrustedCapacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        if (untrustedCapacity < 0 || untrustedCapacity > capacity) {
            throw new IllegalArgumentException("untrustedCapacity must be in 0.." + capacity + ", got " + untrustedCapacity);
        }
        this.capacity = capacity;
        this.untrustedCapacity = untrustedCapacity;
    }

    /** A budget that never refuses, for clients and tools that trust their peer. */
    public static ReassemblyBudget unlimited() {
        return new ReassemblyBudget(Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Reserves {@code bytes} for a connection; false, reserving nothing, when that would exceed a capacity. */
    public boolean tryReserve(long bytes, boolean trusted) {
        if (!trusted && !add(reservedUntrusted, bytes, untrustedCapacity)) {
            serverRefusals.increment();
            return false;
        }
        if (!add(reserved, bytes, capacity)) {
            if (!trusted) {
                reservedUntrusted.addAndGet(-bytes);
            }
            serverRefusals.increment();
            return false;
        }
        return true;
    }

    /** Gives back bytes reserved with the same {@code trusted}. */
    public void release(long bytes, boolean trusted) {
        reserved.addAndGet(-bytes);
        if (!trusted) {
            reservedUntrusted.addAndGet(-bytes);
        }
    }

    /** Moves a connection's untrusted reservations to the trusted share (the total stays the same). */
    public void trust(long bytes) {
        reservedUntrusted.addAndGet(-bytes);
    }

    /** Counts a connection closed for exceeding its own budget ({@link ChunkLimits}), for metrics. */
    public void connectionBudgetExceeded() {
        connectionRefusals.increment();
    }

    private static boolean add(AtomicLong counter, long bytes, long cap) {
        while (true) {
            long current = counter.get();
            if (bytes > cap - current) {
                return false;
            }
            if (counter.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    public long capacity() {
        return capacity;
    }

    public long untrustedCapacity() {
        return untrustedCapacity;
    }

    /** Bytes reserved now by all connections. */
    public long reserved() {
        return reserved.get();
    }

    /** Bytes reserved now by untrusted connections. */
    public long reservedUntrusted() {
        return reservedUntrusted.get();
    }

    /** Reservations refused because the server-wide capacity or the untrusted share was used up. */
    public long serverRefusals() {
        return serverRefusals.sum();
    }

    /** Connections that exceeded their own budget. */
    public long connectionRefusals() {
        return connectionRefusals.sum();
    }
}
