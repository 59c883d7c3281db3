package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;

/**
 * Encodes values as AMF3 (AMF3 spec section 3), without reference compression: every string,
 * object and traits block is written inline, which any AMF3 reader accepts.
 *
 * <p>Choices: an integral {@link AmfNumber} in the 29-bit range is written as an integer (3.6),
 * others as a double; an anonymous object is dynamic with no sealed members, a typed one sealed
 * with all its members; an {@link AmfEcmaArray} is an array with only an associative part; an
 * {@link AmfDate}'s time zone is dropped and {@link AmfUnsupported} is sent as undefined.
 *
 * <p>Buffers: appends to {@code out} at its writer index; the caller keeps ownership of it.
 */
public final class Amf3Writer {

    private Amf3Writer() {
    }

    /** Writes each value in order. */
    public static void writeAll(ByteBuf out, List<? extends AmfValue> values) {
        for (AmfValue v : values) {
            write(out, v);
        }
    }

    /** Writes each value in order. */
    public static void writeAll(ByteBuf out, AmfValue... values) {
        writeAll(out, List.of(values));
    }

    /**
     * Writes one value.
     *
     * @throws AmfException if a length or count does not fit a U29, or a member of an object or
     *     associative array has an empty name (which AMF3 reserves for the end marker)
     */
    public static void write(ByteBuf out, AmfValue value) {
        if (value instanceof AmfNumber n) {
            writeNumber(out, n.value());
        } else if (value instanceof AmfBoolean b) {
            out.writeByte(b.value() ? Amf3Marker.TRUE : Amf3Marker.FALSE);
        } else if (value instanceof AmfString s) {
            out.writeByte(Amf3Marker.STRING);
            writeString(out, s.value());
        } else if (value instanceof AmfNull) {
            out.writeByte(Amf3Marker.NULL);
        } else if (value instanceof AmfUndefined || value instanceof AmfUnsupported) {
            out.writeByte(Amf3Marker.UNDEFINED);
        } else if (value instanceof AmfObject o) {
            writeObject(out, o);
        } else if (value instanceof AmfEcmaArray a) {
            out.writeByte(Amf3Marker.ARRAY);
            writeU29(out, 1);
            writeDynamicMembers(out, a.entries());
        } else if (value instanceof AmfStrictArray a) {
            out.writeByte(Amf3Marker.ARRAY);
            writeInlineHeader(out, a.size(), "array");
            writeString(out, "");
            writeAll(out, a.items());
        } else if (value instanceof AmfDate d) {
            out.writeByte(Amf3Marker.DATE);
            writeU29(out, 1);
            out.writeDouble(d.epochMillis());
        } else if (value instanceof AmfXmlDocument x) {
            out.writeByte(Amf3Marker.XML_DOC);
            writeString(out, x.xml(), true);
        } else if (value instanceof AmfXml x) {
            out.writeByte(Amf3Marker.XML);
            writeString(out, x.xml(), true);
        } else if (value instanceof AmfByteArray b) {
            out.writeByte(Amf3Marker.BYTE_ARRAY);
            writeInlineHeader(out, b.length(), "ByteArray");
            out.writeBytes(b.bytes());
        } else if (value instanceof AmfVector v) {
            writeVector(out, v);
        } else if (value instanceof AmfDictionary d) {
            out.writeByte(Amf3Marker.DICTIONARY);
            writeInlineHeader(out, d.entries().size(), "dictionary");
            out.writeByte(d.weakKeys() ? 1 : 0);
            for (AmfDictionary.Entry e : d.entries()) {
                write(out, e.key());
                write(out, e.value());
            }
        } else {
            throw new AssertionError("unhandled AMF value type " + value.getClass());
        }
    }

    /** 1.3.1: the value must be 0..2^29-1. */
    static void writeU29(ByteBuf out, int value) {
        if (value < 0 || value > Amf3Marker.U29_MAX) {
            throw new AmfException("value " + value + " does not fit a U29");
        }
        if (value < 0x80) {
            out.writeByte(value);
        } else if (value < 0x4000) {
            out.writeByte(0x80 | (value >>> 7)).writeByte(value & 0x7F);
        } else if (value < 0x20_0000) {
            out.writeByte(0x80 | (value >>> 14)).writeByte(0x80 | ((value >>> 7) & 0x7F))
                    .writeByte(value & 0x7F);
        } else {
            out.writeByte(0x80 | (value >>> 22)).writeByte(0x80 | ((value >>> 15) & 0x7F))
                    .writeByte(0x80 | ((value >>> 8) & 0x7F)).writeByte(value & 0xFF);
        }
    }

    private static void writeNumber(ByteBuf out, double v) {
        boolean negativeZero = v == 0 && Double.doubleToRawLongBits(v) != 0;
        if (v >= Amf3Marker.INT_MIN && v <= Amf3Marker.INT_MAX && v == Math.rint(v) && !negativeZero) {
            out.writeByte(Amf3Marker.INTEGER);
            writeU29(out, ((int) v) & Amf3Marker.U29_MAX);
        } else {
            out.writeByte(Amf3Marker.DOUBLE).writeDouble(v);
        }
    }

    /** A count or byte length with the "inline, not a reference" low bit set. */
    private static void writeInlineHeader(ByteBuf out, int count, String what) {
        if (count > Amf3Marker.U29_MAX >>> 1) {
            throw new AmfException("AMF3 " + what + " of " + count + " is longer than a U29 can declare");
        }
        writeU29(out, (count << 1) | 1);
    }

    /** 1.3.2 UTF-8-vr, always inline; the empty string is the single byte 0x01. */
    private static void writeString(ByteBuf out, String s) {
        writeString(out, s, false);
    }

    private static void writeString(ByteBuf out, String s, boolean xml) {
        int length = ByteBufUtil.utf8Bytes(s);
        writeInlineHeader(out, length, xml ? "XML text" : "string");
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeObject(ByteBuf out, AmfObject o) {
        out.writeByte(Amf3Marker.OBJECT);
        if (!o.isTyped()) {
            writeU29(out, 0b1011); // inline traits, dynamic, no sealed members
            writeString(out, "");
            writeDynamicMembers(out, o.entries());
            return;
        }
        int count = o.size();
        if (count > Amf3Marker.U29_MAX >>> 4) {
            throw new AmfException("AMF3 object with " + count + " sealed members is too large");
        }
        writeU29(out, (count << 4) | 0b0011); // inline traits, sealed
        writeString(out, o.className());
        for (String name : o.entries().keySet()) {
            writeString(out, name);
        }
        o.entries().values().forEach(v -> write(out, v));
    }

    private static void writeDynamicMembers(ByteBuf out, Map<String, AmfValue> members) {
        members.forEach((name, v) -> {
            if (name.isEmpty()) {
                throw new AmfException("AMF3 cannot encode a member with an empty name");
            }
            writeString(out, name);
            write(out, v);
        });
        writeString(out, "");
    }

    private static void writeVector(ByteBuf out, AmfVector v) {
        int marker = switch (v.kind()) {
            case INT -> Amf3Marker.VECTOR_INT;
            case UINT -> Amf3Marker.VECTOR_UINT;
            case DOUBLE -> Amf3Marker.VECTOR_DOUBLE;
            case OBJECT -> Amf3Marker.VECTOR_OBJECT;
        };
        out.writeByte(marker);
        writeInlineHeader(out, v.size(), "vector");
        out.writeByte(v.fixed() ? 1 : 0);
        switch (v.kind()) {
            case INT -> v.items().forEach(i -> out.writeInt((int) i.asNumber()));
            case UINT -> v.items().forEach(i -> out.writeInt((int) (long) i.asNumber()));
            case DOUBLE -> v.items().forEach(i -> out.writeDouble(i.asNumber()));
            case OBJECT -> {
                writeString(out, v.typeName());
                writeAll(out, v.items());
            }
        }
    }
}
