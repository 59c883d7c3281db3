package fluxrelay.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What a fuzz target that drives channels changes while it runs, and {@link #close()} puts back.
 *
 * <p>Logs: the {@code fluxrelay} loggers drop info lines (one per refused handshake or request,
 * thousands a second) and keep warnings and errors in memory instead of printing them. A kept event
 * that carries an exception, or any error, means the code met a failure it did not expect (the session,
 * for one, logs and swallows exceptions from its handlers), so the targets fail on it.
 *
 * <p>Leaks: Netty's sampling leak detector is turned off; each input checks its own buffers exactly
 * with a {@link TrackingAllocator} instead, and PARANOID stack capture would cost most of the speed.
 */
final class FuzzScope extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final Logger logger = (Logger) LoggerFactory.getLogger("fluxrelay");
    private final Level level;
    private final boolean additive;
    private final ResourceLeakDetector.Level leakLevel = ResourceLeakDetector.getLevel();
    private final List<ILoggingEvent> events = new ArrayList<>();

    private FuzzScope() {
        level = logger.getLevel();
        additive = logger.isAdditive();
    }

    /** Takes over logging and leak detection; close to restore. */
    static FuzzScope open() {
        FuzzScope scope = new FuzzScope();
        scope.setContext(scope.logger.getLoggerContext());
        scope.attach();
        return scope;
    }

    private void attach() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        start();
        logger.setLevel(Level.WARN);
        logger.setAdditive(false);
        logger.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        events.add(event);
    }

    /** Forgets what was logged so far (call before each input). */
    synchronized void clear() {
        events.clear();
    }

    /** Fails if an error or a warning with an exception was logged since {@link #clear()}. */
    synchronized void assertNoUnexpectedFailure(String what) {
        for (ILoggingEvent event : events) {
            if (event.getLevel() == Level.ERROR || event.getThrowableProxy() != null) {
                throw new AssertionError(what + ": " + event.getLoggerName() + " logged " + event.getLevel() + " "
                        + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " with " + event.getThrowableProxy().getClassName()
                        + ": " + event.getThrowableProxy().getMessage()));
            }
        }
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setAdditive(additive);
        logger.setLevel(level);
        ResourceLeakDetector.setLevel(leakLevel);
        stop();
    }
}
