package fluxrelay.admin;

/**
 * One stream name bound as a rendition of a room's program, as an operator writes it (API and rooms file): an encoder
 * that pushes each quality as its own stream publishes this one, and it feeds the rendition {@code id}.
 *
 * @param id the rendition's id, as viewers ask for it ({@code ?rendition=480p}): the input id rule
 * @param streamName its publish key; generated when absent
 */
public record RenditionSpec(String id, String streamName) {

    /** Without the stream name: it is a secret. */
    @Override
    public String toString() {
        return "RenditionSpec[id=" + id + "]";
    }
}
