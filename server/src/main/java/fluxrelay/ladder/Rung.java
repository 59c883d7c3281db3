package fluxrelay.ladder;

/**
 * One rendition the ladder makes: the program scaled to {@code height} lines (width in proportion, even) in H.264 at
 * {@code videoKbps} and AAC at {@code audioKbps}, published as the rendition {@code id}.
 */
public record Rung(String id, int height, int videoKbps, int audioKbps) {

    public Rung {
        if (height <= 0 || height % 2 != 0) {
            throw new IllegalArgumentException("rung " + id + ": height must be even and positive, got " + height);
        }
    }
}
