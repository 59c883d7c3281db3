package fluxrelay.media;

import io.netty.buffer.ByteBuf;

/**
 * A script data tag such as {@code onMetaData}: AMF0 values as an FLV SCRIPTDATA body.
 *
 * <p>The RTMP {@code @setDataFrame} wrapper is already removed, so the payload starts with the
 * handler name string ({@code onMetaData}) and can be written to viewers and FLV files as it is.
 *
 * @param timestamp ms
 * @param name handler name, e.g. {@code onMetaData}
 * @param payload AMF0-encoded name followed by the values; this record owns one reference
 */
public record ScriptFrame(long timestamp, String name, ByteBuf payload) implements MediaFrame {

    /** The handler name for stream metadata. */
    public static final String ON_METADATA = "onMetaData";

    @Override
    public int dataOffset() {
        return 0;
    }

    /** True for {@code onMetaData}, which the hub keeps for late joiners. */
    public boolean isMetadata() {
        return ON_METADATA.equals(name);
    }

    @Override
    public ScriptFrame withTimestamp(long newTimestamp) {
        return new ScriptFrame(newTimestamp, name, payload);
    }

    @Override
    public ScriptFrame retainedDuplicate() {
        return new ScriptFrame(timestamp, name, payload.retainedDuplicate());
    }
}
