package fluxrelay.program;

import fluxrelay.rooms.Room;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every room's {@link ProgramSwitch}: made when the room's first input hub is, tapping each input hub as it is made,
 * and judged for failover and failback every {@link #TICK} on one scheduler thread of its own (never an event loop).
 */
public final class ProgramSwitches implements AutoCloseable {

    /** How often failover and failback are judged: a small fraction of the shortest sensible failover-after. */
    public static final Duration TICK = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(ProgramSwitches.class);

    private final StreamRegistry streams;
    private final Function<String, Optional<Room>> rooms;
    private final ProgramPolicy policy;
    private final ProgramListener listener;
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> ticking;
    private final Map<String, ProgramSwitch> switches = new ConcurrentHashMap<>();

    /**
     * Hooks itself into {@code streams}: call before any hub is made.
     *
     * @param rooms the current definition of a room by id
     */
    public ProgramSwitches(StreamRegistry streams, Function<String, Optional<Room>> rooms, ProgramPolicy policy,
                           ProgramListener listener) {
        this.streams = streams;
        this.rooms = rooms;
        this.policy = policy;
        this.listener = listener;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "program-switch");
            t.setDaemon(true);
            return t;
        });
        this.ticking = scheduler.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        streams.onInputCreated(this::tap);
    }

    private void tap(LiveStream input) {
        String roomId = input.feedId().room();
        ProgramSwitch program = switches.computeIfAbsent(roomId, id -> new ProgramSwitch(id, streams, () -> rooms.apply(id),
                policy, listener, scheduler, Clock.systemUTC(), System::nanoTime));
        input.tap(program);
    }

    private void tick() {
        for (ProgramSwitch program : switches.values()) {
            try {
                if (rooms.apply(program.roomId()).isEmpty()) {
                    switches.remove(program.roomId(), program);
                    program.close();
                } else {
                    program.tick();
                }
            } catch (RuntimeException e) {
                log.warn("room {}: program switch failed on a tick", program.roomId(), e);
            }
        }
    }

    /** The room's switch, if an input of it was ever made on this node. */
    public Optional<ProgramSwitch> find(String roomId) {
        return Optional.ofNullable(switches.get(roomId));
    }

    /** The server-wide policy ({@code relay.program}); each room's own settings go over it ({@link ProgramSwitch#policy}). */
    public ProgramPolicy policy() {
        return policy;
    }

    @Override
    public void close() {
        ticking.cancel(false);
        scheduler.shutdown();
        switches.values().forEach(ProgramSwitch::close);
        switches.clear();
    }
}
