package fluxrelay.flv;

/**
 * Malformed FLV: a file or tag header that breaks the FLV spec (v10.1 Annex E), or a tag body
 * whose audio, video or script header (E.4.2, E.4.3, E.4.4, Enhanced RTMP) ends early or holds
 * a value the spec does not allow.
 */
public final class FlvFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FlvFormatException(String message) {
        super(message);
    }
}
