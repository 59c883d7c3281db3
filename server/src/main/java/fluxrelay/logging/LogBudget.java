package fluxrelay.logging;

/**
 * How many lines one connection may cause for events it can repeat at will (unknown commands, unreadable
 * messages, plays of unknown streams): the first {@code burst} are logged, the rest are counted and summarised
 * once, when the connection ends. Not thread-safe: one per connection, used on its event loop.
 */
public final class LogBudget {

    /** Lines one connection may cause before it is summarised. */
    public static final int DEFAULT_BURST = 10;

    private final int burst;
    private int used;
    private long suppressed;

    public LogBudget(int burst) {
        this.burst = burst;
    }

    /** A budget of {@link #DEFAULT_BURST} lines. */
    public LogBudget() {
        this(DEFAULT_BURST);
    }

    /** True when the next line may be logged; otherwise it is counted as suppressed. */
    public boolean allow() {
        if (used < burst) {
            used++;
            return true;
        }
        suppressed++;
        return false;
    }

    /** Lines not logged so far. */
    public long suppressed() {
        return suppressed;
    }
}
