package fluxrelay.rtmp.amf;

import java.util.Objects;

/** A String: AMF0 string and long string (2.4, 2.14), AMF3 string (3.8). */
public record AmfString(String value) implements AmfValue {

    /** Rejects null: use {@link AmfNull} for a null value. */
    public AmfString {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String asString() {
        return value;
    }

    /** Single-quoted, control characters escaped, long text shortened. */
    @Override
    public String toString() {
        return AmfText.quote(value);
    }
}
