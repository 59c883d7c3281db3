package fluxrelay.admin;

import fluxrelay.config.LadderRungConfig;
import fluxrelay.config.RenditionInputConfig;
import fluxrelay.rooms.Room;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A room's {@code renditions} and {@code ladder} as the admin API and the rooms file spell them, checked with the config
 * file's rules: rendition and rung ids follow the input id rule, are distinct within each list and between the two;
 * a rung's height is even, 64 to 4320 lines, its {@code videoKbps} 50 to 50000, its {@code audioKbps} 16 to 512 (96
 * when absent).
 */
public final class RenditionFields {

    /** Renditions bound to stream names one room may have. */
    static final int MAX_RENDITIONS = 16;
    /** Ladder rungs one room may have. */
    static final int MAX_RUNGS = 16;

    private RenditionFields() {
    }

    /**
     * The rendition bindings of a stored room (rooms file): every one has its stream name. Null gives none.
     *
     * @throws AdminException 400 on {@code renditions} when an id or stream name is missing or an id breaks the rule
     */
    public static List<RenditionInputConfig> renditions(List<RenditionSpec> specs) {
        if (specs == null) {
            return List.of();
        }
        List<RenditionInputConfig> out = new ArrayList<>();
        for (RenditionSpec spec : specs) {
            checkId(spec == null ? null : spec.id(), "renditions");
            if (spec.streamName() == null) {
                throw AdminException.invalid("renditions", "rendition '" + spec.id() + "' has no streamName");
            }
            out.add(new RenditionInputConfig(spec.id(), spec.streamName()));
        }
        return out;
    }

    /**
     * The rungs these fields give (null: none), each checked.
     *
     * @throws AdminException 400 on {@code ladder} naming the rung and what is wrong
     */
    public static List<LadderRungConfig> ladder(List<RungSpec> specs) {
        if (specs == null) {
            return List.of();
        }
        if (specs.size() > MAX_RUNGS) {
            throw AdminException.invalid("ladder", "a room's ladder has at most " + MAX_RUNGS + " rungs");
        }
        List<LadderRungConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (RungSpec spec : specs) {
            checkId(spec == null ? null : spec.id(), "ladder");
            String rung = "ladder rung '" + spec.id() + "': ";
            if (!ids.add(spec.id())) {
                throw AdminException.invalid("ladder", rung + "the id is given twice");
            }
            int height = within(rung, "height", spec.height(), LadderRungConfig.MIN_HEIGHT, LadderRungConfig.MAX_HEIGHT);
            if (height % 2 != 0) {
                throw AdminException.invalid("ladder", rung + "height must be even (H.264 4:2:0 pictures have even sizes)");
            }
            int video = within(rung, "videoKbps", spec.videoKbps(), LadderRungConfig.MIN_VIDEO_KBPS, LadderRungConfig.MAX_VIDEO_KBPS);
            int audio = spec.audioKbps() == null ? LadderRungConfig.DEFAULT_AUDIO_KBPS
                    : within(rung, "audioKbps", spec.audioKbps(), LadderRungConfig.MIN_AUDIO_KBPS, LadderRungConfig.MAX_AUDIO_KBPS);
            out.add(new LadderRungConfig(spec.id(), height, video, audio));
        }
        return out;
    }

    /**
     * No rung of {@code ladder} has the id of one of {@code renditions}: a rendition is either sent by an encoder or made
     * by the ladder.
     *
     * @throws AdminException 400 on {@code field}
     */
    static void checkDistinct(List<RenditionInputConfig> renditions, List<LadderRungConfig> ladder, String field) {
        for (LadderRungConfig rung : ladder) {
            if (renditions.stream().anyMatch(r -> r.id().equals(rung.id()))) {
                throw AdminException.invalid(field, "ladder rung '" + rung.id() + "' has the id of one of the room's renditions; "
                        + "a rendition is either sent by an encoder or made by the ladder");
            }
        }
    }

    /** The rendition id rule (the input id rule), reported on {@code field}. */
    static void checkId(String id, String field) {
        try {
            RoomInputs.checkId(id, field);
        } catch (AdminException e) {
            throw AdminException.invalid(field, "a rendition id is 1 to 32 lower-case letters, digits or '-', starting with a "
                    + "letter or digit (for example 480p), and not 'program'");
        }
    }

    /** The room's renditions as the rooms file writes them, or null when it has none. */
    static List<RenditionSpec> specs(Room room) {
        return room.renditions().isEmpty() ? null
                : room.renditions().stream().map(r -> new RenditionSpec(r.id(), r.streamName())).toList();
    }

    /** The room's ladder as the rooms file writes it, or null when it has none. */
    static List<RungSpec> rungs(Room room) {
        return room.ladder().isEmpty() ? null
                : room.ladder().stream().map(r -> new RungSpec(r.id(), r.height(), r.videoKbps(), r.audioKbps())).toList();
    }

    private static int within(String rung, String name, Integer value, int min, int max) {
        if (value == null || value < min || value > max) {
            throw AdminException.invalid("ladder", rung + name + " must be " + min + " to " + max + (value == null ? ""
                    : ", got " + value));
        }
        return value;
    }
}
