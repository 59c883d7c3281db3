package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.List;
import java.util.Map;

/**
 * Encodes values as AMF0 (AMF0 spec section 2). Strings over 65535 UTF-8 bytes go out as long
 * strings (2.14); values AMF0 cannot express ({@link AmfByteArray}, {@link AmfXml},
 * {@link AmfVector}, {@link AmfDictionary}) go through the avmplus-object switch (3.1) as one AMF3
 * value. Writes no references.
 *
 * <p>Buffers: appends to {@code out} at its writer index; the caller keeps ownership of it.
 */
public final class Amf0Writer {

    private static final int U16_MAX = 0xFFFF;

    private Amf0Writer() {
    }

    /** Writes each value in order: a command or data message body. */
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
     * @throws AmfException if a member or class name is longer than 65535 UTF-8 bytes
     */
    public static void write(ByteBuf out, AmfValue value) {
        if (value instanceof AmfNumber n) {
            out.writeByte(Amf0Marker.NUMBER).writeDouble(n.value());
        } else if (value instanceof AmfBoolean b) {
            out.writeByte(Amf0Marker.BOOLEAN).writeByte(b.value() ? 1 : 0);
        } else if (value instanceof AmfString s) {
            writeString(out, s.value());
        } else if (value instanceof AmfNull) {
            out.writeByte(Amf0Marker.NULL);
        } else if (value instanceof AmfUndefined) {
            out.writeByte(Amf0Marker.UNDEFINED);
        } else if (value instanceof AmfUnsupported) {
            out.writeByte(Amf0Marker.UNSUPPORTED);
        } else if (value instanceof AmfObject o) {
            if (o.isTyped()) {
                out.writeByte(Amf0Marker.TYPED_OBJECT);
                writeShortString(out, o.className(), "typed-object class name");
            } else {
                out.writeByte(Amf0Marker.OBJECT);
            }
            writeMembers(out, o.entries());
        } else if (value instanceof AmfEcmaArray a) {
            out.writeByte(Amf0Marker.ECMA_ARRAY).writeInt(a.size());
            writeMembers(out, a.entries());
        } else if (value instanceof AmfStrictArray a) {
            out.writeByte(Amf0Marker.STRICT_ARRAY).writeInt(a.size());
            writeAll(out, a.items());
        } else if (value instanceof AmfDate d) {
            out.writeByte(Amf0Marker.DATE).writeDouble(d.epochMillis()).writeShort(d.timezoneMinutes());
        } else if (value instanceof AmfXmlDocument x) {
            out.writeByte(Amf0Marker.XML_DOCUMENT);
            writeLongUtf8(out, x.xml());
        } else {
            // AmfXml, AmfByteArray, AmfVector, AmfDictionary exist only in AMF3.
            out.writeByte(Amf0Marker.AVMPLUS_OBJECT);
            Amf3Writer.write(out, value);
        }
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > U16_MAX) {
            out.writeByte(Amf0Marker.LONG_STRING).writeInt(length);
        } else {
            out.writeByte(Amf0Marker.STRING).writeShort(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeLongUtf8(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        out.writeInt(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeShortString(ByteBuf out, String s, String what) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length > U16_MAX) {
            throw new AmfException("AMF0 " + what + " of " + length + " UTF-8 bytes exceeds 65535");
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    /** 2.5: name/value pairs, then an empty name and the object-end marker. */
    private static void writeMembers(ByteBuf out, Map<String, AmfValue> members) {
        members.forEach((name, v) -> {
            writeShortString(out, name, "member name");
            write(out, v);
        });
        out.writeShort(0).writeByte(Amf0Marker.OBJECT_END);
    }
}
