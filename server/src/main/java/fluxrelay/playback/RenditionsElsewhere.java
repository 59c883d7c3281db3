package fluxrelay.playback;

import java.util.Map;

/**
 * The quality renditions of a room's program made on another node of a cluster (the room's origin), as that node last
 * reported them: so that an edge admits a viewer asking for one before it pulls it, and moves a viewer too slow for
 * the program down to one, as the origin does.
 */
@FunctionalInterface
public interface RenditionsElsewhere {

    /** A single node: every rendition is made here. */
    RenditionsElsewhere NONE = roomId -> Map.of();

    /**
     * The renditions another node makes of {@code roomId}'s program: rendition id to the rate its encoder sends there,
     * video and audio, in bits per second (0 while not measured yet); empty when none. Answers at once.
     */
    Map<String, Long> of(String roomId);
}
