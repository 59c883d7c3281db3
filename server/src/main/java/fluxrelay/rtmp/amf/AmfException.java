package fluxrelay.rtmp.amf;

/**
 * Malformed, truncated or limit-violating AMF input, or a value that the target encoding cannot
 * express. The only exception the readers let escape for bad input.
 */
public final class AmfException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param message what went wrong, including where
     * @param offset reader index in the input buffer where it went wrong, or -1 when writing
     */
    public AmfException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** An encoding failure, which has no input offset. */
    public AmfException(String message) {
        this(message, -1);
    }

    /** The reader index in the input buffer where decoding failed, or -1 for encoding failures. */
    public int offset() {
        return offset;
    }
}
