package fluxrelay.program;

/** A manual switch that cannot be done: the input is unknown, or not live. */
public final class ProgramException extends RuntimeException {

    /** Why the switch was refused. */
    public enum Kind { UNKNOWN_INPUT, NOT_LIVE }

    private final Kind kind;

    public ProgramException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /** Why the switch was refused. */
    public Kind kind() {
        return kind;
    }
}
