package fluxrelay.rtmp.amf;

import java.util.Arrays;
import java.util.List;

/**
 * A dense array: AMF0 strict array (2.12), or an AMF3 array without associative part (3.11).
 * Immutable.
 *
 * @param items the elements; copied, no nulls (use {@link AmfNull})
 */
public record AmfStrictArray(List<AmfValue> items) implements AmfValue {

    /** Copies the elements. */
    public AmfStrictArray {
        items = List.copyOf(items);
    }

    /** An array of converted values, as {@link AmfValue#of(Object)}. */
    public static AmfStrictArray of(Object... values) {
        return new AmfStrictArray(Arrays.stream(values).map(AmfValue::of).toList());
    }

    /** The element at {@code index}. */
    public AmfValue get(int index) {
        return items.get(index);
    }

    /** Number of elements. */
    public int size() {
        return items.size();
    }

    /** {@code [1, 'a']}. */
    @Override
    public String toString() {
        return AmfText.items("[", items, "]");
    }
}
