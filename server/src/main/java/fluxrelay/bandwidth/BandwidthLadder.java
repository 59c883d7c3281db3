package fluxrelay.bandwidth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a room can give a viewer, by the rate each choice needs: its program (the room's requirement) and the quality
 * renditions whose need is known, highest need first. The bandwidth check becomes a choice over it: a viewer whose
 * figure is below the program's requirement gets the best rendition the figure carries.
 *
 * @param program the room's requirement for its program
 * @param renditions the renditions with a known need, sorted highest need first (ties by id)
 */
public record BandwidthLadder(BandwidthRequirement program, List<RenditionNeed> renditions) {

    private static final Comparator<RenditionNeed> HIGHEST_FIRST =
            Comparator.comparingLong(RenditionNeed::bitsPerSecond).reversed().thenComparing(RenditionNeed::id);

    public BandwidthLadder {
        if (program == null) {
            throw new IllegalArgumentException("program");
        }
        List<RenditionNeed> sorted = new ArrayList<>(renditions);
        sorted.sort(HIGHEST_FIRST);
        renditions = List.copyOf(sorted);
    }

    /** True when the room has no rendition with a known need: the check is the plain verdict on the program. */
    public boolean programOnly() {
        return renditions.isEmpty();
    }

    /** The best rendition a measured rate carries (the one with the highest need at most that rate), if any. */
    public Optional<RenditionNeed> best(long measuredBitsPerSecond) {
        return renditions.stream().filter(r -> r.bitsPerSecond() <= measuredBitsPerSecond).findFirst();
    }

    /** The rendition needing the least, if the room has any. */
    public Optional<RenditionNeed> lowest() {
        return renditions.isEmpty() ? Optional.empty() : Optional.of(renditions.get(renditions.size() - 1));
    }

    /** The rendition {@code id}, if its need is known. */
    public Optional<RenditionNeed> rendition(String id) {
        return renditions.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * The renditions a measured rate carries, highest first; when it carries none, the lowest alone (what {@code warn}
     * plays; {@code enforce} refuses before asking).
     */
    public List<RenditionNeed> fitting(long measuredBitsPerSecond) {
        List<RenditionNeed> fit = renditions.stream().filter(r -> r.bitsPerSecond() <= measuredBitsPerSecond).toList();
        return fit.isEmpty() && !renditions.isEmpty() ? List.of(renditions.get(renditions.size() - 1)) : fit;
    }
}
