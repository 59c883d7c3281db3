package fluxrelay.media.codec;

/**
 * Malformed codec data: a decoder configuration record, parameter set, AudioSpecificConfig or
 * length-prefixed NAL unit stream that breaks its specification or ends early.
 *
 * <p>Every parser in this package reports bad input with this exception and nothing else, so a
 * caller can treat one publisher's broken stream as that publisher's problem.
 */
public final class CodecFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CodecFormatException(String message) {
        super(message);
    }
}
