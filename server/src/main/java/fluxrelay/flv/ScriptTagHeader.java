package fluxrelay.flv;

import fluxrelay.media.ScriptFrame;
import io.netty.buffer.ByteBuf;

/**
 * Reads the name of a script data tag (FLV spec v10.1 E.4.4.1 SCRIPTDATA: an AMF0 string, then
 * the value) and removes the RTMP {@code @setDataFrame} wrapper that publishers send in front of
 * {@code onMetaData}. The AMF0 string (marker 0x02, UI16 length, UTF-8) is read here, so FLV does
 * not depend on the RTMP AMF package.
 */
final class ScriptTagHeader {

    /** RTMP's data-frame command: "store the data that follows for the stream". */
    static final String SET_DATA_FRAME = "@setDataFrame";
    private static final int AMF0_STRING = 0x02;

    private ScriptTagHeader() {
    }

    /**
     * The frame for {@code body}, which it holds without retaining; the body's reader index moves
     * past an {@code @setDataFrame} wrapper.
     */
    static ScriptFrame read(long timestamp, ByteBuf body) {
        TagCursor in = new TagCursor(body, "script tag");
        String name = string(in);
        if (!SET_DATA_FRAME.equals(name)) {
            return new ScriptFrame(timestamp, name, body);
        }
        int dataStart = in.offset();
        String handler = string(in);
        body.skipBytes(dataStart);
        return new ScriptFrame(timestamp, handler, body);
    }

    private static String string(TagCursor in) {
        int marker = in.u8("AMF0 type marker");
        if (marker != AMF0_STRING) {
            throw in.error("AMF0 type marker " + marker + " where a string name should be");
        }
        return in.utf8(in.u16("AMF0 string length"), "AMF0 string");
    }
}
