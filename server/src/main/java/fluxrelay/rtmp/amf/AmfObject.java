package fluxrelay.rtmp.amf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An ActionScript object: AMF0 anonymous object (2.5) or typed object (2.18), AMF3 object (3.12)
 * with its sealed and dynamic members merged in wire order. Immutable.
 *
 * @param className the registered class name of a typed object, or null for an anonymous one (an
 *     empty name is treated as anonymous)
 * @param entries the members in order; copied
 */
public record AmfObject(String className, Map<String, AmfValue> entries) implements AmfMap {

    /** The empty anonymous object. */
    public static final AmfObject EMPTY = new AmfObject(null, Map.of());

    /** Copies the members and rejects null names or values (use {@link AmfNull}). */
    public AmfObject {
        className = className == null || className.isEmpty() ? null : className;
        entries = Collections.unmodifiableMap(copy(entries));
    }

    /** An anonymous object with the given members. */
    public AmfObject(Map<String, AmfValue> entries) {
        this(null, entries);
    }

    /**
     * An anonymous object from alternating names and values; values are converted as by
     * {@link AmfValue#of(Object)}: {@code AmfObject.of("level", "status", "code", code)}.
     */
    public static AmfObject of(Object... keyValuePairs) {
        return new AmfObject(null, JavaValues.members(keyValuePairs));
    }

    /** A typed object from alternating names and values, as {@link #of(Object...)}. */
    public static AmfObject typed(String className, Object... keyValuePairs) {
        Objects.requireNonNull(className, "className");
        return new AmfObject(className, JavaValues.members(keyValuePairs));
    }

    /** True for a typed object. */
    public boolean isTyped() {
        return className != null;
    }

    /** A copy with {@code key} set to {@code value} (converted), kept in place if already present. */
    public AmfObject with(String key, Object value) {
        Map<String, AmfValue> copy = new LinkedHashMap<>(entries);
        copy.put(Objects.requireNonNull(key, "key"), AmfValue.of(value));
        return new AmfObject(className, copy);
    }

    @Override
    public AmfObject asObject() {
        return this;
    }

    /** {@code {level: 'status', code: '...'}}, typed objects prefixed by their class name. */
    @Override
    public String toString() {
        return (className == null ? "" : className) + AmfText.members("{", entries, "}");
    }

    static Map<String, AmfValue> copy(Map<String, AmfValue> entries) {
        Map<String, AmfValue> copy = new LinkedHashMap<>(Math.max(4, entries.size() * 4 / 3 + 1));
        entries.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "member name"),
                Objects.requireNonNull(v, "member value")));
        return copy;
    }
}
