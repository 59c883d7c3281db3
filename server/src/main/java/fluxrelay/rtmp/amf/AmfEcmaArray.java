package fluxrelay.rtmp.amf;

import java.util.Collections;
import java.util.Map;

/**
 * An associative array: AMF0 ECMA array (2.10), or an AMF3 array with an associative part (3.11).
 * {@code onMetaData} arrives as one. Immutable.
 *
 * @param entries the members in order; copied
 */
public record AmfEcmaArray(Map<String, AmfValue> entries) implements AmfMap {

    /** Copies the members and rejects null names or values. */
    public AmfEcmaArray {
        entries = Collections.unmodifiableMap(AmfObject.copy(entries));
    }

    /** An array from alternating names and values, converted as by {@link AmfValue#of(Object)}. */
    public static AmfEcmaArray of(Object... keyValuePairs) {
        return new AmfEcmaArray(JavaValues.members(keyValuePairs));
    }

    /** {@code ECMA[duration: 0, width: 1280]}. */
    @Override
    public String toString() {
        return AmfText.members("ECMA[", entries, "]");
    }
}
