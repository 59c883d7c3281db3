package fluxrelay.rooms;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The stream names rooms bind as renditions of their program (a room's {@code renditions} in the configuration): an
 * encoder that pushes each quality as its own stream publishes one of these and feeds that rendition.
 */
public final class RenditionInputs {

    /** No room binds a rendition stream name. */
    public static final RenditionInputs NONE = new RenditionInputs(List.of());

    /**
     * One binding.
     *
     * @param roomId the room whose program it is a rendition of
     * @param rendition the rendition's id ({@code 480p})
     * @param streamName the secret publish key
     */
    public record Binding(String roomId, String rendition, String streamName) {
    }

    private final Map<String, Binding> byStreamName;

    public RenditionInputs(List<Binding> bindings) {
        this.byStreamName = bindings.stream().collect(Collectors.toUnmodifiableMap(Binding::streamName, b -> b));
    }

    /** The binding of a stream name, if a room has one. */
    public Optional<Binding> find(String streamName) {
        return Optional.ofNullable(byStreamName.get(streamName));
    }

    /** The rendition ids bound for a room, sorted. */
    public List<String> of(String roomId) {
        return byStreamName.values().stream().filter(b -> b.roomId().equals(roomId)).map(Binding::rendition).sorted().toList();
    }
}
