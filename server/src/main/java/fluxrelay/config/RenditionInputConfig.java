package fluxrelay.config;

/**
 * A stream name bound as a rendition of a room's program ({@code relay.rooms[i].renditions[j]}): an encoder that pushes
 * each quality as its own RTMP stream publishes this one with {@code streamName}, and it feeds the rendition {@code id}
 * as a multitrack encoder's extra track would.
 *
 * @param id the rendition's id, as viewers ask for it ({@code ?rendition=480p}), {@code [a-z0-9][a-z0-9-]{0,31}}
 * @param streamName the secret publish key, unique among all inputs and renditions of the app
 */
public record RenditionInputConfig(String id, String streamName) {

    /** Without the stream name: it is a secret. */
    @Override
    public String toString() {
        return "RenditionInputConfig[id=" + id + "]";
    }
}
