package fluxrelay.stream;

/** Why a stream stopped being visible. */
public enum StreamStop {
    /** The publisher unpublished or its connection ended. */
    UNPUBLISHED,
    /** The room was switched off the air (stop showing); the publisher may still be connected. */
    HIDDEN
}
