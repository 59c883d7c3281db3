package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF3 values (AMF3 spec section 3), with the string, object and traits reference tables
 * of 3.8 and 3.12. Externalizable objects (3.12, U29O-traits-ext) cannot be decoded without their
 * class's private format and fail with an {@link AmfException} naming the class.
 *
 * <p><b>One instance per message.</b> The reference tables and {@link AmfLimits} budgets span one
 * message: {@link #readAll} clears them first, {@link #read} keeps them; call {@link #reset}
 * between messages when using {@code read} alone. Not thread-safe.
 *
 * <p>Buffers: reads from the reader index and advances it past what it consumed; never retains or
 * releases. On {@link AmfException} the reader index is put back where the call started.
 */
public final class Amf3Reader {

    /** An object's class description (3.12): sent once, then referred to by index. */
    private record Traits(String className, boolean dynamic, List<String> sealedNames, long nameBytes) {
    }

    private final AmfInput in;
    private final ReferenceTable strings = new ReferenceTable("AMF3 string");
    private final ReferenceTable objects = new ReferenceTable("AMF3 object");
    private final List<Traits> traits = new ArrayList<>();

    /** A reader enforcing {@code limits}. */
    public Amf3Reader(AmfLimits limits) {
        this(new AmfInput(limits));
    }

    /** A reader sharing the cursor and budgets of an enclosing AMF0 reader. */
    Amf3Reader(AmfInput in) {
        this.in = in;
    }

    /** Forgets the reference tables and budgets of the previous message. */
    public void reset() {
        clearTables();
        in.resetBudget();
    }

    private void clearTables() {
        strings.clear();
        objects.clear();
        traits.clear();
    }

    /**
     * Reads one value.
     *
     * @throws AmfException if the bytes are malformed, truncated or over the limits
     */
    public AmfValue read(ByteBuf buf) {
        int start = buf.readerIndex();
        in.bind(buf);
        try {
            return readValue();
        } catch (AmfException e) {
            buf.readerIndex(start);
            throw e;
        }
    }

    /**
     * Resets, then reads values until no readable bytes remain.
     *
     * @throws AmfException if any value is malformed, truncated or over the limits
     */
    public List<AmfValue> readAll(ByteBuf buf) {
        reset();
        int start = buf.readerIndex();
        List<AmfValue> values = new ArrayList<>();
        try {
            while (buf.isReadable()) {
                values.add(read(buf));
            }
        } catch (AmfException e) {
            buf.readerIndex(start);
            throw e;
        }
        return values;
    }

    /** One value after an AMF0 avmplus-object marker, with fresh tables, on the shared cursor. */
    AmfValue readSwitched() {
        clearTables();
        return readValue();
    }

    private AmfValue readValue() {
        int offset = in.offset();
        int marker = in.u8("AMF3 type marker");
        in.countElement();
        return switch (marker) {
            case Amf3Marker.UNDEFINED -> AmfUndefined.INSTANCE;
            case Amf3Marker.NULL -> AmfNull.INSTANCE;
            case Amf3Marker.FALSE -> AmfBoolean.FALSE;
            case Amf3Marker.TRUE -> AmfBoolean.TRUE;
            case Amf3Marker.INTEGER -> new AmfNumber((u29("AMF3 integer") << 3) >> 3);
            case Amf3Marker.DOUBLE -> new AmfNumber(in.f64("AMF3 double"));
            case Amf3Marker.STRING -> new AmfString(readString("AMF3 string"));
            case Amf3Marker.XML_DOC -> readXml(true, offset);
            case Amf3Marker.DATE -> readDate(offset);
            case Amf3Marker.ARRAY -> readArray(offset);
            case Amf3Marker.OBJECT -> readObject(offset);
            case Amf3Marker.XML -> readXml(false, offset);
            case Amf3Marker.BYTE_ARRAY -> readByteArray(offset);
            case Amf3Marker.VECTOR_INT -> readVector(AmfVector.Kind.INT, offset);
            case Amf3Marker.VECTOR_UINT -> readVector(AmfVector.Kind.UINT, offset);
            case Amf3Marker.VECTOR_DOUBLE -> readVector(AmfVector.Kind.DOUBLE, offset);
            case Amf3Marker.VECTOR_OBJECT -> readVector(AmfVector.Kind.OBJECT, offset);
            case Amf3Marker.DICTIONARY -> readDictionary(offset);
            default -> throw in.fail(String.format("unknown AMF3 type marker 0x%02X", marker), offset);
        };
    }

    /** 1.3.1: one to four bytes, seven bits each from the first three, eight from the fourth. */
    private int u29(String what) {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            int b = in.u8(what);
            if ((b & 0x80) == 0) {
                return (value << 7) | b;
            }
            value = (value << 7) | (b & 0x7F);
        }
        return (value << 8) | in.u8(what);
    }

    /** 1.3.2 UTF-8-vr: a string-table reference, or an inline string that joins the table. */
    private String readString(String what) {
        int offset = in.offset();
        int header = u29(what + " header");
        if ((header & 1) == 0) {
            return strings.resolve(header >>> 1, in, offset).asString();
        }
        int length = header >>> 1;
        if (length == 0) {
            return "";
        }
        String s = in.utf8(length, what);
        strings.add(new AmfString(s), 0, length);
        return s;
    }

    private AmfValue readXml(boolean document, int offset) {
        String what = document ? "AMF3 XMLDocument" : "AMF3 XML";
        int header = u29(what + " header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        int length = header >>> 1;
        String xml = in.utf8(length, what);
        AmfValue value = document ? new AmfXmlDocument(xml) : new AmfXml(xml);
        objects.add(value, 0, length);
        return value;
    }

    private AmfValue readDate(int offset) {
        int header = u29("AMF3 date header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        AmfDate date = new AmfDate(in.f64("AMF3 date"), 0);
        objects.add(date, 0, 0);
        return date;
    }

    private AmfValue readByteArray(int offset) {
        int header = u29("AMF3 ByteArray header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        int length = header >>> 1;
        AmfByteArray value = new AmfByteArray(in.bytes(length, "AMF3 ByteArray"));
        objects.add(value, 0, length);
        return value;
    }

    /**
     * 3.11: associative name/value pairs up to an empty name, then the dense part. Without an
     * associative part the result is a strict array; with one, an ECMA array whose dense elements
     * follow under the keys "0", "1", ...
     */
    private AmfValue readArray(int offset) {
        int header = u29("AMF3 array header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        in.enter("AMF3 array");
        int slot = objects.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        Map<String, AmfValue> associative = null;
        for (String key = readString("AMF3 array key"); !key.isEmpty(); key = readString("AMF3 array key")) {
            if (associative == null) {
                associative = new LinkedHashMap<>();
            }
            associative.put(key, readValue());
        }
        int count = in.checkCount(header >>> 1, 1, "AMF3 array dense part");
        List<AmfValue> dense = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            dense.add(readValue());
        }
        AmfValue array;
        if (associative == null) {
            array = new AmfStrictArray(dense);
        } else {
            for (int i = 0; i < count; i++) {
                associative.put(Integer.toString(i), dense.get(i));
            }
            array = new AmfEcmaArray(associative);
        }
        objects.fill(slot, array, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return array;
    }

    /** 3.12: traits (inline, by reference, or externalizable), sealed values, dynamic members. */
    private AmfValue readObject(int offset) {
        int header = u29("AMF3 object header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        Traits t = readTraits(header, offset);
        in.enter("AMF3 object");
        int slot = objects.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        Map<String, AmfValue> members = new LinkedHashMap<>();
        for (String name : t.sealedNames()) {
            members.put(name, readValue());
        }
        if (t.dynamic()) {
            for (String key = readString("AMF3 dynamic member name"); !key.isEmpty();
                    key = readString("AMF3 dynamic member name")) {
                members.put(key, readValue());
            }
        }
        AmfObject object = new AmfObject(t.className(), members);
        objects.fill(slot, object, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return object;
    }

    private Traits readTraits(int header, int offset) {
        if ((header & 0b10) == 0) {
            int index = header >>> 2;
            if (index >= traits.size()) {
                throw in.fail("AMF3 traits reference #" + index + " but only " + traits.size() + " entries",
                        offset);
            }
            Traits t = traits.get(index);
            in.charge(0, t.nameBytes());
            return t;
        }
        if ((header & 0b100) != 0) {
            String className = readString("AMF3 externalizable class name");
            throw in.fail("AMF3 externalizable object of class " + AmfText.quote(className)
                    + " cannot be decoded: its body format is private to that class", offset);
        }
        boolean dynamic = (header & 0b1000) != 0;
        String className = readString("AMF3 class name");
        int count = in.checkCount(header >>> 4, 2, "AMF3 sealed members");
        long bytes = in.bytesUsed();
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(readString("AMF3 sealed member name"));
        }
        Traits t = new Traits(className, dynamic, List.copyOf(names), in.bytesUsed() - bytes);
        traits.add(t);
        return t;
    }

    /** 3.15: count, fixed flag, then items (and the type name of an object vector). */
    private AmfValue readVector(AmfVector.Kind kind, int offset) {
        String what = "AMF3 vector-" + kind.name().toLowerCase(java.util.Locale.ROOT);
        int header = u29(what + " header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        boolean fixed = in.u8(what + " fixed flag") != 0;
        if (kind == AmfVector.Kind.OBJECT) {
            return readObjectVector(header >>> 1, fixed, what);
        }
        int width = kind == AmfVector.Kind.DOUBLE ? 8 : 4;
        int count = in.checkCount(header >>> 1, width, what);
        List<AmfValue> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            in.countElement();
            double v = switch (kind) {
                case INT -> in.s32(what);
                case UINT -> in.u32(what);
                default -> in.f64(what);
            };
            items.add(new AmfNumber(v));
        }
        AmfVector vector = new AmfVector(kind, fixed, null, items);
        objects.add(vector, count, 0);
        return vector;
    }

    private AmfValue readObjectVector(long declared, boolean fixed, String what) {
        String typeName = readString(what + " type name");
        int count = in.checkCount(declared, 1, what);
        in.enter(what);
        int slot = objects.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        List<AmfValue> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readValue());
        }
        AmfVector vector = new AmfVector(AmfVector.Kind.OBJECT, fixed, typeName, items);
        objects.fill(slot, vector, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return vector;
    }

    /** 3.16: entry count, weak-keys flag, then key/value pairs of any values. */
    private AmfValue readDictionary(int offset) {
        int header = u29("AMF3 dictionary header");
        if ((header & 1) == 0) {
            return objects.resolve(header >>> 1, in, offset);
        }
        boolean weakKeys = in.u8("AMF3 dictionary weak-keys flag") != 0;
        int count = in.checkCount(header >>> 1, 2, "AMF3 dictionary");
        in.enter("AMF3 dictionary");
        int slot = objects.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        List<AmfDictionary.Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            AmfValue key = readValue();
            entries.add(new AmfDictionary.Entry(key, readValue()));
        }
        AmfDictionary dictionary = new AmfDictionary(weakKeys, entries);
        objects.fill(slot, dictionary, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return dictionary;
    }
}
