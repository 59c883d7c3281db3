package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * Wire layout of a chunk header (RTMP spec 5.3.1): the 1-3 byte basic header, the 11/7/3/0 byte
 * message header of formats 0..3 and the optional 4-byte extended timestamp. Shared by the encoder
 * and {@link ChunkedBody} so both write byte-identical headers.
 */
final class ChunkHeader {

    static final int MIN_CHUNK_STREAM_ID = 2;
    static final int MAX_CHUNK_STREAM_ID = 65599;
    /** Timestamp field value meaning "the real value is in the extended timestamp" (5.3.1.3). */
    static final int EXTENDED_MARKER = 0xFFFFFF;
    static final int EXTENDED_LENGTH = 4;

    private static final int[] MESSAGE_HEADER_LENGTH = {11, 7, 3, 0};

    private ChunkHeader() {
    }

    static boolean isValidChunkStreamId(int csid) {
        return csid >= MIN_CHUNK_STREAM_ID && csid <= MAX_CHUNK_STREAM_ID;
    }

    static int messageHeaderLength(int fmt) {
        return MESSAGE_HEADER_LENGTH[fmt];
    }

    /** Basic header length for {@code csid}: 1 byte for 2..63, 2 for 64..319, 3 for 320..65599. */
    static int basicHeaderLength(int csid) {
        return csid < 64 ? 1 : csid < 320 ? 2 : 3;
    }

    /** Whether a timestamp (or delta) this large needs the extended field. */
    static boolean needsExtended(long timestampField) {
        return timestampField >= EXTENDED_MARKER;
    }

    /** Writes the basic header (5.3.1.1): fmt in the top two bits, the csid in one of three forms. */
    static void writeBasicHeader(ByteBuf out, int fmt, int csid) {
        if (csid < 64) {
            out.writeByte(fmt << 6 | csid);
        } else if (csid < 320) {
            out.writeByte(fmt << 6);
            out.writeByte(csid - 64);
        } else {
            out.writeByte(fmt << 6 | 1);
            out.writeByte((csid - 64) & 0xFF);
            out.writeByte((csid - 64) >>> 8);
        }
    }

    /**
     * Writes a whole first-chunk header: basic header, the message header of {@code fmt}
     * (5.3.1.2.1-4) and the extended timestamp when {@code timestampField} needs it.
     *
     * @param timestampField absolute timestamp for fmt 0, delta for fmt 1/2/3
     */
    static void writeHeader(ByteBuf out, int fmt, int csid, long timestampField, int length, int typeId,
            int messageStreamId) {
        writeBasicHeader(out, fmt, csid);
        boolean extended = needsExtended(timestampField);
        if (fmt <= 2) {
            out.writeMedium(extended ? EXTENDED_MARKER : (int) timestampField);
        }
        if (fmt <= 1) {
            out.writeMedium(length);
            out.writeByte(typeId);
        }
        if (fmt == 0) {
            out.writeIntLE(messageStreamId);
        }
        if (extended) {
            out.writeInt((int) timestampField);
        }
    }

    /** Writes a continuation header: fmt 3 and, for extended messages, the extended timestamp again. */
    static void writeContinuationHeader(ByteBuf out, int csid, long timestampField) {
        writeBasicHeader(out, 3, csid);
        if (needsExtended(timestampField)) {
            out.writeInt((int) timestampField);
        }
    }

    static int headerLength(int fmt, int csid, long timestampField) {
        return basicHeaderLength(csid) + messageHeaderLength(fmt)
                + (needsExtended(timestampField) ? EXTENDED_LENGTH : 0);
    }

    static int continuationHeaderLength(int csid, long timestampField) {
        return basicHeaderLength(csid) + (needsExtended(timestampField) ? EXTENDED_LENGTH : 0);
    }
}
