package fluxrelay.rtmp.amf;

import java.util.Map;

/**
 * A value whose content is ordered, named members: an {@link AmfObject} or an
 * {@link AmfEcmaArray}. Lets code that reads metadata accept either, as encoders differ.
 */
public sealed interface AmfMap extends AmfValue permits AmfObject, AmfEcmaArray {

    /** The members in wire order; unmodifiable. */
    Map<String, AmfValue> entries();

    /** The member named {@code key}, or null when absent. */
    default AmfValue get(String key) {
        return entries().get(key);
    }

    /** The member as a string, or null when absent or not a string. */
    default String getString(String key) {
        AmfValue v = entries().get(key);
        return v == null ? null : v.asString();
    }

    /** The member as a number, or NaN when absent or not a number. */
    default double getNumber(String key) {
        AmfValue v = entries().get(key);
        return v == null ? Double.NaN : v.asNumber();
    }

    /** True when a member named {@code key} is present. */
    default boolean has(String key) {
        return entries().containsKey(key);
    }

    /** Number of members. */
    default int size() {
        return entries().size();
    }
}
