package fluxrelay.rtmp.amf;

import java.util.List;

/**
 * An AMF3 Vector (3.15): {@code Vector.<int>}, {@code Vector.<uint>}, {@code Vector.<Number>} or
 * a vector of objects. Numeric vectors hold {@link AmfNumber} items in the kind's range. Immutable.
 * AMF0 has no such type, so the AMF0 writer sends it through the avmplus-object switch.
 *
 * @param kind which of the four vector markers
 * @param fixed whether the vector has a fixed length
 * @param typeName element class name of an {@link Kind#OBJECT} vector ("" for any), null otherwise
 * @param items the elements; copied
 */
public record AmfVector(Kind kind, boolean fixed, String typeName, List<AmfValue> items) implements AmfValue {

    /** The element type, one per AMF3 vector marker. */
    public enum Kind {
        /** vector-int-marker 0x0D: signed 32-bit items. */
        INT,
        /** vector-uint-marker 0x0E: unsigned 32-bit items. */
        UINT,
        /** vector-double-marker 0x0F: double items. */
        DOUBLE,
        /** vector-object-marker 0x10: any AMF3 values. */
        OBJECT
    }

    /** Copies the items and checks that numeric kinds hold numbers in range. */
    public AmfVector {
        items = List.copyOf(items);
        if (kind == Kind.OBJECT) {
            typeName = typeName == null ? "" : typeName;
        } else {
            typeName = null;
            for (AmfValue item : items) {
                checkItem(kind, item);
            }
        }
    }

    private static void checkItem(Kind kind, AmfValue item) {
        if (!(item instanceof AmfNumber number)) {
            throw new IllegalArgumentException(kind + " vector item is not a number: " + item);
        }
        double v = number.value();
        boolean ok = switch (kind) {
            case INT -> v == (int) v;
            case UINT -> v == Math.rint(v) && v >= 0 && v <= 0xFFFF_FFFFL;
            default -> true;
        };
        if (!ok) {
            throw new IllegalArgumentException(kind + " vector item out of range: " + item);
        }
    }

    /** Number of elements. */
    public int size() {
        return items.size();
    }

    /** {@code Vector.<int>[1, 2]}, with {@code fixed} when the length is fixed. */
    @Override
    public String toString() {
        String type = switch (kind) {
            case INT -> "int";
            case UINT -> "uint";
            case DOUBLE -> "Number";
            case OBJECT -> typeName.isEmpty() ? "*" : typeName;
        };
        return "Vector.<" + type + ">" + (fixed ? "(fixed)" : "") + AmfText.items("[", items, "]");
    }
}
