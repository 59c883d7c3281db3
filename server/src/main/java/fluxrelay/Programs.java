package fluxrelay;

import fluxrelay.admin.RoomEvents;
import fluxrelay.config.ProgramConfig;
import fluxrelay.hooks.Webhooks;
import fluxrelay.metrics.ProgramMetrics;
import fluxrelay.metrics.RelayMetrics;
import fluxrelay.program.ProgramListener;
import fluxrelay.program.ProgramPolicy;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.program.Switched;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.StreamRegistry;
import java.util.List;

/**
 * Composes every room's program switch: tapping each input hub as it is made, with switches counted in the metrics and
 * told to the platform ({@code room.program_changed}) and kept in the room's recent events; inputs whose codec
 * parameters come to differ from the main input's (or no longer do) are told and kept likewise
 * ({@code room.input_mismatch}). Kept out of {@link RelayServer} so the composition root stays
 * readable.
 */
final class Programs {

    private Programs() {
    }

    static ProgramSwitches create(ProgramConfig c, int maxRoomLabels, StreamRegistry streams, RoomRegistry rooms,
                                  Webhooks webhooks, RoomEvents events, RelayMetrics metrics) {
        ProgramMetrics[] meters = new ProgramMetrics[1];
        ActivityListener told = ActivityListener.both(events, webhooks);
        ProgramListener listener = new ProgramListener() {
            @Override
            public void switched(String roomId, Switched switched) {
                meters[0].switched(roomId, switched);
                events.programSwitched(roomId, switched.from(), switched.input(), switched.reason().label());
                rooms.findById(roomId).ifPresent(room -> webhooks.programChanged(room, switched.from(), switched.input(),
                        switched.reason().label(), switched.parametersChanged()));
            }

            @Override
            public void parametersDiffer(String roomId, String inputId, String mainInputId, List<String> tracks) {
                // Also logged by the switch, shown in the room's view and counted by the metrics' gauge.
                rooms.findById(roomId).ifPresent(room -> told.inputMismatch(room, inputId, mainInputId, !tracks.isEmpty(), tracks));
            }
        };
        ProgramSwitches made = new ProgramSwitches(streams, rooms::findById,
                new ProgramPolicy(c.failoverAfter(), c.failbackAfter(), c.autoFailback()), listener);
        meters[0] = new ProgramMetrics(() -> rooms.all().stream().map(Room::id).sorted().toList(), made, maxRoomLabels);
        metrics.bind(meters[0]);
        return made;
    }
}
