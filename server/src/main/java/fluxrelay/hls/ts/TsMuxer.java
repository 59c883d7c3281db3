package fluxrelay.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * Writes one program as 188-byte transport stream packets (ISO/IEC 13818-1 2.4.3): the program tables and
 * PES packets split over packets of their PID, with continuity counters that run on across calls, the PCR
 * and random access indicator in the adaptation field of a PES packet's first TS packet, and adaptation
 * field stuffing to fill each PES packet's last TS packet.
 *
 * <p>Not thread-safe: one muxer per output stream. Payload buffers are read with absolute indexes and
 * neither moved nor released.
 */
public final class TsMuxer {

    /** Bytes in a transport stream packet. */
    public static final int PACKET_SIZE = 188;
    /** The 90 kHz clock of PTS, DTS and the PCR base wraps at 2^33. */
    public static final long TIMESTAMP_MASK = (1L << 33) - 1;

    static final int SYNC_BYTE = 0x47;
    static final int PAT_PID = 0x0000;
    private static final int HEADER_SIZE = 4;
    private static final int PAYLOAD_SIZE = PACKET_SIZE - HEADER_SIZE;
    private static final int PCR_SIZE = 6;

    private final TsProgram program;
    private final int[] continuity = new int[0x2000];

    public TsMuxer(TsProgram program) {
        this.program = program;
    }

    /** The program written. */
    public TsProgram program() {
        return program;
    }

    /** Writes a PAT and a PMT packet, as every HLS segment must start with (RFC 8216 3.2). */
    public void writeTables(ByteBuf out) {
        writeSection(out, PAT_PID, ProgramTables::writePat);
        writeSection(out, program.pmtPid(), ProgramTables::writePmt);
    }

    private interface SectionBody {
        void write(ByteBuf out, TsProgram program);
    }

    private void writeSection(ByteBuf out, int pid, SectionBody body) {
        int start = out.writerIndex();
        writeHeader(out, pid, true, false);
        out.writeByte(0); // pointer_field: the section starts right here
        body.write(out, program);
        out.writeBytes(Filler.FF, 0, PACKET_SIZE - (out.writerIndex() - start)); // stuffing after the section
    }

    /**
     * Writes one PES packet carrying {@code payload}'s readable bytes as TS packets of {@code stream}'s PID.
     *
     * @param pts presentation time stamp, 90 kHz (taken modulo 2^33)
     * @param dts decode time stamp, 90 kHz, or -1 when equal to the PTS (then only the PTS is written)
     * @param randomAccess sets random_access_indicator: the payload starts at a point a decoder can start from
     * @param pcrBase program clock reference base (90 kHz) to write in the first packet, or -1 for none
     */
    public void writePes(ByteBuf out, ElementaryStream stream, long pts, long dts, ByteBuf payload,
                         boolean randomAccess, long pcrBase) {
        if (pcrBase >= 0 && stream.pid() != program.pcrPid()) {
            throw new IllegalArgumentException("PCR on PID " + stream.pid() + ", the program's PCR PID is " + program.pcrPid());
        }
        byte[] header = pesHeader(stream, pts, dts, payload.readableBytes());
        int total = header.length + payload.readableBytes();
        int headerLeft = header.length;
        int read = payload.readerIndex();
        boolean first = true;
        out.ensureWritable((total / PAYLOAD_SIZE + 2) * PACKET_SIZE);
        for (int remaining = total; remaining > 0; remaining = headerLeft + payload.writerIndex() - read) {
            boolean pcr = first && pcrBase >= 0;
            boolean flags = first && (pcr || randomAccess);
            // Adaptation field content after its length byte: the flags byte, then the PCR.
            int fieldContent = flags ? 1 + (pcr ? PCR_SIZE : 0) : 0;
            int space = PAYLOAD_SIZE - (flags ? 1 + fieldContent : 0);
            int stuffing = Math.max(0, space - remaining);
            boolean adaptation = flags || stuffing > 0;
            writeHeader(out, stream.pid(), first, adaptation);
            if (adaptation) {
                writeAdaptationField(out, flags, fieldContent, stuffing, randomAccess && first, pcr ? pcrBase : -1);
            }
            int room = space - stuffing;
            int fromHeader = Math.min(headerLeft, room);
            out.writeBytes(header, header.length - headerLeft, fromHeader);
            headerLeft -= fromHeader;
            int fromPayload = room - fromHeader;
            out.writeBytes(payload, read, fromPayload);
            read += fromPayload;
            first = false;
        }
    }

    /**
     * Packet header (2.4.3.2): sync byte, payload_unit_start_indicator, PID, adaptation_field_control and
     * the PID's continuity_counter, which counts packets with payload (all of ours carry payload).
     */
    private void writeHeader(ByteBuf out, int pid, boolean unitStart, boolean adaptation) {
        int counter = continuity[pid];
        continuity[pid] = (counter + 1) & 0x0F;
        out.writeByte(SYNC_BYTE);
        out.writeByte((unitStart ? 0x40 : 0) | pid >> 8);
        out.writeByte(pid & 0xFF);
        out.writeByte((adaptation ? 0x30 : 0x10) | counter);
    }

    /**
     * Adaptation field (2.4.3.4) of {@code 1 + content + stuffing} bytes. With no flags to carry and a single
     * byte to fill, the field is just its zero length byte.
     */
    private static void writeAdaptationField(ByteBuf out, boolean flags, int content, int stuffing, boolean randomAccess,
                                             long pcrBase) {
        if (!flags) {
            out.writeByte(stuffing - 1);
            if (stuffing > 1) {
                out.writeByte(0x00);
                out.writeBytes(Filler.FF, 0, stuffing - 2);
            }
            return;
        }
        out.writeByte(content + stuffing);
        out.writeByte((randomAccess ? 0x40 : 0) | (pcrBase >= 0 ? 0x10 : 0));
        if (pcrBase >= 0) {
            long base = pcrBase & TIMESTAMP_MASK;
            out.writeInt((int) (base >>> 1));
            // Last bit of the base, 6 reserved bits, then the 9-bit extension (0: the PCR is on a 90 kHz tick).
            out.writeByte((int) ((base & 1) << 7) | 0x7E);
            out.writeByte(0x00);
        }
        out.writeBytes(Filler.FF, 0, stuffing);
    }

    /** PES packet header (2.4.3.6) with PTS, and DTS when it differs. */
    private static byte[] pesHeader(ElementaryStream stream, long pts, long dts, int payloadLength) {
        boolean withDts = dts >= 0 && (dts & TIMESTAMP_MASK) != (pts & TIMESTAMP_MASK);
        int dataLength = withDts ? 10 : 5;
        int headerLength = 9 + dataLength;
        byte[] header = new byte[headerLength];
        header[2] = 0x01; // packet_start_code_prefix 0x000001
        header[3] = (byte) stream.streamId();
        int pesLength = 3 + dataLength + payloadLength;
        if (pesLength > 0xFFFF) {
            if (!stream.isVideo()) {
                throw new IllegalArgumentException("PES packet of " + pesLength + " bytes on a non-video stream");
            }
            pesLength = 0; // unbounded, allowed for video elementary streams only
        }
        header[4] = (byte) (pesLength >> 8);
        header[5] = (byte) pesLength;
        header[6] = (byte) (0x80 | (stream.isVideo() ? 0x04 : 0)); // '10', data_alignment_indicator for video access units
        header[7] = (byte) (withDts ? 0xC0 : 0x80); // PTS_DTS_flags
        header[8] = (byte) dataLength;
        writeTimestamp(header, 9, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(header, 14, 0x1, dts);
        }
        return header;
    }

    /** A 33-bit time stamp in 5 bytes: 4-bit prefix, then 3 + 15 + 15 bits, each group ending in a marker bit. */
    static void writeTimestamp(byte[] into, int at, int prefix, long value) {
        long ts = value & TIMESTAMP_MASK;
        into[at] = (byte) (prefix << 4 | (int) (ts >>> 29) & 0x0E | 1);
        into[at + 1] = (byte) (ts >>> 22);
        into[at + 2] = (byte) ((ts >>> 14) & 0xFE | 1);
        into[at + 3] = (byte) (ts >>> 7);
        into[at + 4] = (byte) ((ts << 1) & 0xFE | 1);
    }

    /** A row of 0xFF bytes for stuffing. */
    private static final class Filler {
        static final byte[] FF = new byte[PACKET_SIZE];

        static {
            java.util.Arrays.fill(FF, (byte) 0xFF);
        }
    }
}
