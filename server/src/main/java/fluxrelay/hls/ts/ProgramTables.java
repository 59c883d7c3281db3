package fluxrelay.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * The program specific information sections of a single-program stream: the program association section
 * (ISO/IEC 13818-1 2.4.4.3) and the program map section (2.4.4.8), each closed by its CRC_32.
 */
final class ProgramTables {

    static final int TABLE_PAT = 0x00;
    static final int TABLE_PMT = 0x02;
    private static final int TRANSPORT_STREAM_ID = 1;
    private static final int CRC_SIZE = 4;

    private ProgramTables() {
    }

    /** PAT: one program, whose PMT is on {@link TsProgram#pmtPid()}. */
    static void writePat(ByteBuf out, TsProgram program) {
        int start = out.writerIndex();
        writeSectionStart(out, TABLE_PAT, 5 + 4 + CRC_SIZE, TRANSPORT_STREAM_ID, program.version());
        out.writeShort(program.programNumber());
        out.writeShort(0xE000 | program.pmtPid()); // 3 reserved bits, program_map_PID
        out.writeInt(Crc32Mpeg2.compute(out, start, out.writerIndex() - start));
    }

    /** PMT: the PCR PID and each elementary stream, no descriptors. */
    static void writePmt(ByteBuf out, TsProgram program) {
        int start = out.writerIndex();
        int length = 5 + 4 + 5 * program.streams().size() + CRC_SIZE;
        writeSectionStart(out, TABLE_PMT, length, program.programNumber(), program.version());
        out.writeShort(0xE000 | program.pcrPid()); // 3 reserved bits, PCR_PID
        out.writeShort(0xF000); // 4 reserved bits, program_info_length 0
        for (ElementaryStream stream : program.streams()) {
            out.writeByte(stream.streamType());
            out.writeShort(0xE000 | stream.pid()); // 3 reserved bits, elementary_PID
            out.writeShort(0xF000); // 4 reserved bits, ES_info_length 0
        }
        out.writeInt(Crc32Mpeg2.compute(out, start, out.writerIndex() - start));
    }

    /**
     * table_id, section_syntax_indicator 1, '0', 2 reserved bits, section_length (the bytes after it, CRC
     * included), the 16-bit table id extension, 2 reserved bits, version_number, current_next_indicator 1,
     * section_number 0 and last_section_number 0.
     */
    private static void writeSectionStart(ByteBuf out, int tableId, int sectionLength, int extension, int version) {
        out.writeByte(tableId);
        out.writeShort(0xB000 | sectionLength);
        out.writeShort(extension);
        out.writeByte(0xC1 | version << 1);
        out.writeByte(0);
        out.writeByte(0);
    }
}
