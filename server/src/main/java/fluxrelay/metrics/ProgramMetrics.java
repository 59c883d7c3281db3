package fluxrelay.metrics;

import fluxrelay.program.ProgramStatus;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.program.SwitchReason;
import fluxrelay.program.Switched;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Rooms' programs: switches by room and reason ({@code fluxrelay_program_switches_total}) and which input is on air
 * ({@code fluxrelay_program_input}, 1 for the input on air of each room with a program), and which inputs carry other
 * codec parameters than their room's main input ({@code fluxrelay_input_mismatch}, 1 or 0 for each input the room's
 * program has seen publish). Rooms beyond
 * {@code maxRoomLabels} share {@code room="_other"}, as in {@link StreamMetrics}.
 */
public final class ProgramMetrics implements MeterBinder {

    private final Supplier<List<String>> roomIds;
    private final ProgramSwitches switches;
    private final int maxRoomLabels;
    private MeterRegistry registry;
    private MultiGauge onAir;
    private MultiGauge mismatch;

    /**
     * @param roomIds the rooms with a program, sorted (the first {@code maxRoomLabels} get their own label)
     */
    public ProgramMetrics(Supplier<List<String>> roomIds, ProgramSwitches switches, int maxRoomLabels) {
        this.roomIds = roomIds;
        this.switches = switches;
        this.maxRoomLabels = maxRoomLabels;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        onAir = MultiGauge.builder("fluxrelay.program.input")
                .description("1 for the input on air in the room's program").register(registry);
        mismatch = MultiGauge.builder("fluxrelay.input.mismatch")
                .description("1 for an input whose codec parameters differ from its room's main input's (a switch to it is an "
                        + "HLS discontinuity), else 0").register(registry);
        for (SwitchReason reason : SwitchReason.values()) {
            if (reason != SwitchReason.START) {
                counter(StreamMetrics.OTHER, reason); // the families exist before the first switch
            }
        }
    }

    /** Counts a switch that took effect. */
    public void switched(String roomId, Switched switched) {
        if (registry != null) {
            counter(label(roomId), switched.reason()).increment();
        }
    }

    private Counter counter(String room, SwitchReason reason) {
        return Counter.builder("fluxrelay.program.switches").description("Program switches that took effect, by reason")
                .tags("room", room, "reason", reason.label()).register(registry);
    }

    private String label(String roomId) {
        List<String> ids = roomIds.get();
        int index = ids.indexOf(roomId);
        return index >= 0 && index < maxRoomLabels ? roomId : StreamMetrics.OTHER;
    }

    /** Recomputes the on-air and mismatch rows; call before each scrape. */
    public void refresh() {
        if (onAir == null) {
            return;
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> differing = new ArrayList<>();
        List<String> ids = roomIds.get();
        for (int i = 0; i < Math.min(ids.size(), maxRoomLabels); i++) {
            String room = ids.get(i);
            switches.find(room).map(p -> p.status()).ifPresent(status -> {
                if (status.onAir() != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("room", room, "input", status.onAir()), 1));
                }
                for (ProgramStatus.Input input : status.inputs()) {
                    differing.add(MultiGauge.Row.of(Tags.of("room", room, "input", input.id()),
                            input.parametersDifferFromMain() ? 1 : 0));
                }
            });
        }
        onAir.register(rows, true);
        mismatch.register(differing, true);
    }
}
