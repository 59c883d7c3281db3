package fluxrelay.rtmp.amf;

/** A Boolean: AMF0 boolean (2.3), AMF3 false/true (3.4, 3.5). */
public record AmfBoolean(boolean value) implements AmfValue {

    /** Shared true. */
    public static final AmfBoolean TRUE = new AmfBoolean(true);
    /** Shared false. */
    public static final AmfBoolean FALSE = new AmfBoolean(false);

    /** The shared instance for {@code value}. */
    public static AmfBoolean of(boolean value) {
        return value ? TRUE : FALSE;
    }

    @Override
    public String toString() {
        return Boolean.toString(value);
    }
}
