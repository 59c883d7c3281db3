package fluxrelay.rtmp.amf;

import java.util.List;
import java.util.Objects;

/**
 * An AMF3 Dictionary (3.16): entries whose keys may be any value, in wire order. Immutable. AMF0
 * has no such type, so the AMF0 writer sends it through the avmplus-object switch.
 *
 * @param weakKeys the dictionary's weak-keys flag
 * @param entries key/value pairs; copied
 */
public record AmfDictionary(boolean weakKeys, List<Entry> entries) implements AmfValue {

    /** One key/value pair. */
    public record Entry(AmfValue key, AmfValue value) {
        /** Rejects nulls. */
        public Entry {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return key + " => " + value;
        }
    }

    /** Copies the entries. */
    public AmfDictionary {
        entries = List.copyOf(entries);
    }

    /** The value of the first entry whose key equals {@code key}, or null. */
    public AmfValue get(AmfValue key) {
        for (Entry e : entries) {
            if (e.key().equals(key)) {
                return e.value();
            }
        }
        return null;
    }

    /** {@code Dictionary{'a' => 1}}. */
    @Override
    public String toString() {
        return (weakKeys ? "Dictionary(weak)" : "Dictionary") + AmfText.items("{", entries, "}");
    }
}
