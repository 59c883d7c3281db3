package fluxrelay.metrics;

import fluxrelay.ladder.LadderSnapshot;
import fluxrelay.ladder.LadderSupervisor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-side ladder: processes running ({@code fluxrelay_ladder_processes}), restarts after a failure
 * ({@code fluxrelay_ladder_restarts_total}) and CPU time of the ladder processes
 * ({@code fluxrelay_ladder_cpu_seconds_total}), both by room: each room that has had a ladder since the start (from the
 * configuration, the rooms file or the admin API) gets its series when it first has one, up to
 * {@code relay.metrics.max-room-labels} rooms (like the other per-room series); a room whose ladder was removed keeps
 * its series (restarts and CPU time read 0 then, a counter reset to Prometheus).
 */
public final class LadderMetrics implements MeterBinder {

    private final LadderSupervisor ladders;
    private final List<String> roomIds;
    private final int maxRooms;
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    /**
     * @param roomIds the rooms that have a ladder at the start
     * @param maxRooms the most rooms given series of their own
     */
    public LadderMetrics(LadderSupervisor ladders, List<String> roomIds, int maxRooms) {
        this.ladders = ladders;
        this.roomIds = List.copyOf(roomIds);
        this.maxRooms = maxRooms;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fluxrelay.ladder.processes", ladders, LadderSupervisor::running)
                .description("Ladder (ffmpeg) processes running").register(registry);
        this.registry = registry;
        roomIds.forEach(this::room);
    }

    /** Gives a room that now has a ladder its own series, once (nothing before binding or past the room limit). */
    public void room(String room) {
        MeterRegistry into = registry;
        synchronized (bound) {
            if (into == null || bound.contains(room) || bound.size() >= maxRooms) {
                return;
            }
            bound.add(room);
        }
        FunctionCounter.builder("fluxrelay.ladder.restarts", ladders, l -> of(l, room).restarts())
                .description("Ladder processes restarted after they failed, by room").tag("room", room).register(into);
        FunctionCounter.builder("fluxrelay.ladder.cpu", ladders, l -> of(l, room).cpuSeconds())
                .baseUnit("seconds").description("CPU time used by the room's ladder processes")
                .tag("room", room).register(into);
    }

    private static LadderSnapshot of(LadderSupervisor ladders, String room) {
        return ladders.snapshot(room).orElse(new LadderSnapshot(room, "idle", 0, List.of(), List.of(), 0, null, 0));
    }
}
