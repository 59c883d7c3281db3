package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes AMF0 values (AMF0 spec section 2), switching to AMF3 for one value at each
 * avmplus-object marker (3.1).
 *
 * <p><b>One instance per message.</b> The reference table (2.9) and the {@link AmfLimits} budgets
 * span one message: {@link #readAll} clears them first, {@link #read} keeps them so several calls
 * can walk one message; call {@link #reset} between messages when using {@code read} alone. Each
 * avmplus-object switch starts with empty AMF3 reference tables. Not thread-safe.
 *
 * <p>Buffers: reads from the reader index and advances it past what it consumed; never retains or
 * releases. On {@link AmfException} the reader index is put back where the call started.
 */
public final class Amf0Reader {

    private final AmfInput in;
    private final ReferenceTable references = new ReferenceTable("AMF0 object");
    private final Amf3Reader amf3;

    /** A reader enforcing {@code limits}. */
    public Amf0Reader(AmfLimits limits) {
        this.in = new AmfInput(limits);
        this.amf3 = new Amf3Reader(in);
    }

    /** Forgets the reference table and budgets of the previous message. */
    public void reset() {
        references.clear();
        in.resetBudget();
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
     * Resets, then reads values until no readable bytes remain: a whole command or data message body.
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

    private AmfValue readValue() {
        int offset = in.offset();
        int marker = in.u8("AMF0 type marker");
        in.countElement();
        return switch (marker) {
            case Amf0Marker.NUMBER -> new AmfNumber(in.f64("AMF0 number"));
            case Amf0Marker.BOOLEAN -> AmfBoolean.of(in.u8("AMF0 boolean") != 0);
            case Amf0Marker.STRING -> new AmfString(shortString("AMF0 string"));
            case Amf0Marker.OBJECT -> readObject(null, "AMF0 object");
            case Amf0Marker.NULL -> AmfNull.INSTANCE;
            case Amf0Marker.UNDEFINED -> AmfUndefined.INSTANCE;
            case Amf0Marker.REFERENCE -> references.resolve(in.u16("AMF0 reference"), in, offset);
            case Amf0Marker.ECMA_ARRAY -> readEcmaArray();
            case Amf0Marker.STRICT_ARRAY -> readStrictArray();
            case Amf0Marker.DATE -> new AmfDate(in.f64("AMF0 date"), in.s16("AMF0 date time zone"));
            case Amf0Marker.LONG_STRING -> new AmfString(in.utf8(in.u32("AMF0 long string length"),
                    "AMF0 long string"));
            case Amf0Marker.UNSUPPORTED -> AmfUnsupported.INSTANCE;
            case Amf0Marker.XML_DOCUMENT -> new AmfXmlDocument(in.utf8(in.u32("AMF0 xml-document length"),
                    "AMF0 xml-document"));
            case Amf0Marker.TYPED_OBJECT -> readObject(shortString("AMF0 typed-object class name"),
                    "AMF0 typed object");
            case Amf0Marker.AVMPLUS_OBJECT -> amf3.readSwitched();
            case Amf0Marker.MOVIECLIP -> throw in.fail("AMF0 movieclip marker 0x04 is reserved, not supported",
                    offset);
            case Amf0Marker.RECORDSET -> throw in.fail("AMF0 recordset marker 0x0E is reserved, not supported",
                    offset);
            case Amf0Marker.OBJECT_END -> throw in.fail("AMF0 object-end marker outside an object", offset);
            default -> throw in.fail(String.format("unknown AMF0 type marker 0x%02X", marker), offset);
        };
    }

    /** UTF-8 with a U16 length (1.3 "UTF-8"). */
    private String shortString(String what) {
        return in.utf8(in.u16(what + " length"), what);
    }

    private AmfObject readObject(String className, String what) {
        in.enter(what);
        int slot = references.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        AmfObject object = new AmfObject(className, readMembers(what));
        references.fill(slot, object, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return object;
    }

    /** 2.10: the U32 count is only a hint, so members are read up to the object-end marker. */
    private AmfEcmaArray readEcmaArray() {
        in.u32("AMF0 ecma-array count");
        in.enter("AMF0 ecma array");
        int slot = references.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        AmfEcmaArray array = new AmfEcmaArray(readMembers("AMF0 ecma array"));
        references.fill(slot, array, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return array;
    }

    private AmfStrictArray readStrictArray() {
        int count = in.checkCount(in.u32("AMF0 strict-array count"), 1, "AMF0 strict array");
        in.enter("AMF0 strict array");
        int slot = references.reserve();
        long elements = in.elementsUsed();
        long bytes = in.bytesUsed();
        List<AmfValue> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readValue());
        }
        AmfStrictArray array = new AmfStrictArray(items);
        references.fill(slot, array, in.elementsUsed() - elements, in.bytesUsed() - bytes);
        in.exit();
        return array;
    }

    /**
     * Name/value pairs up to an empty name followed by the object-end marker (2.5). An empty name
     * followed by any other value is kept as a member named "".
     */
    private Map<String, AmfValue> readMembers(String what) {
        Map<String, AmfValue> members = new LinkedHashMap<>();
        while (true) {
            String name = shortString(what + " member name");
            if (name.isEmpty() && in.peekU8(what + " end") == Amf0Marker.OBJECT_END) {
                in.u8(what + " end");
                return members;
            }
            members.put(name, readValue());
        }
    }
}
