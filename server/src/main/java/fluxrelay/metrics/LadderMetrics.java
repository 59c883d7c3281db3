package fluxrelay.metrics;

import fluxrelay.ladder.LadderSnapshot;
import fluxrelay.ladder.LadderSupervisor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * The server-side ladder: processes running ({@code fluxrelay_ladder_processes}), restarts after a failure
 * ({@code fluxrelay_ladder_restarts_total}) and CPU time of the ladder processes
 * ({@code fluxrelay_ladder_cpu_seconds_total}), both by room. Only rooms declared with a ladder in the configuration
 * have one, so each gets its own label.
 */
public final class LadderMetrics implements MeterBinder {

    private final LadderSupervisor ladders;
    private final List<String> roomIds;

    /** @param roomIds the rooms that have a ladder */
    public LadderMetrics(LadderSupervisor ladders, List<String> roomIds) {
        this.ladders = ladders;
        this.roomIds = List.copyOf(roomIds);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fluxrelay.ladder.processes", ladders, LadderSupervisor::running)
                .description("Ladder (ffmpeg) processes running").register(registry);
        for (String room : roomIds) {
            FunctionCounter.builder("fluxrelay.ladder.restarts", ladders, l -> of(l, room).restarts())
                    .description("Ladder processes restarted after they failed, by room").tag("room", room).register(registry);
            FunctionCounter.builder("fluxrelay.ladder.cpu", ladders, l -> of(l, room).cpuSeconds())
                    .baseUnit("seconds").description("CPU time used by the room's ladder processes")
                    .tag("room", room).register(registry);
        }
    }

    private static LadderSnapshot of(LadderSupervisor ladders, String room) {
        return ladders.snapshot(room).orElse(new LadderSnapshot(room, "idle", 0, List.of(), List.of(), 0, null, 0));
    }
}
