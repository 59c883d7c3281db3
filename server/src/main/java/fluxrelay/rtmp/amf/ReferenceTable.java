package fluxrelay.rtmp.amf;

import java.util.ArrayList;
import java.util.List;

/**
 * A reader's table of values that later bytes may point back to (AMF0 2.9 complex objects; AMF3
 * strings and objects, 3.8 and 3.12). Each entry remembers the expanded cost of its value, which a
 * reference charges again, so back references cannot multiply a message's size unchecked.
 *
 * <p>A slot is reserved when a container starts and filled when it ends; a reference to a slot
 * still being read would need a cyclic value, which the immutable model cannot hold, and fails.
 */
final class ReferenceTable {

    private record Slot(AmfValue value, long elements, long bytes) {
    }

    private final String name;
    private final List<Slot> slots = new ArrayList<>();

    ReferenceTable(String name) {
        this.name = name;
    }

    int reserve() {
        slots.add(null);
        return slots.size() - 1;
    }

    void fill(int index, AmfValue value, long elements, long bytes) {
        slots.set(index, new Slot(value, elements, bytes));
    }

    /** Adds a finished value whose cost was already counted while reading it. */
    void add(AmfValue value, long elements, long bytes) {
        slots.add(new Slot(value, elements, bytes));
    }

    /** Resolves reference {@code index} read at {@code offset}, charging its cost to {@code in}. */
    AmfValue resolve(long index, AmfInput in, int offset) {
        if (index >= slots.size()) {
            throw in.fail(name + " reference #" + index + " but only " + slots.size() + " entries", offset);
        }
        Slot slot = slots.get((int) index);
        if (slot == null) {
            throw in.fail(name + " reference #" + index + " points at a value still being read"
                    + " (cyclic graphs are not supported)", offset);
        }
        in.charge(slot.elements, slot.bytes);
        return slot.value;
    }

    void clear() {
        slots.clear();
    }
}
