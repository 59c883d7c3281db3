package fluxrelay.hls.ts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An independent reader of what {@link TsMuxer} writes, written from ISO/IEC 13818-1 for tests: checks every
 * packet's framing and continuity, and reassembles PES packets with their time stamps and adaptation flags.
 */
public final class TsParser {

    /** One reassembled PES packet. */
    public record Pes(int pid, int streamId, long pts, long dts, boolean randomAccess, long pcrBase, int declaredLength,
                      byte[] payload) {
    }

    /** One TS packet's header facts. */
    public record Packet(int pid, boolean unitStart, int continuity, int adaptationLength, boolean hasPayload) {
    }

    private final List<Packet> packets = new ArrayList<>();
    private final List<Pes> pes = new ArrayList<>();
    private final List<byte[]> sections = new ArrayList<>();
    private final Map<Integer, Integer> lastCounter = new HashMap<>();
    private final Map<Integer, ByteArrayOutputStream> open = new HashMap<>();
    private final Map<Integer, boolean[]> openFlags = new HashMap<>();
    private final Map<Integer, Long> openPcr = new HashMap<>();

    /** Parses whole packets; fails the test on any framing error. */
    public static TsParser parse(ByteBuf ts) {
        TsParser parser = new TsParser();
        assertEquals(0, ts.readableBytes() % 188, "a whole number of 188-byte packets");
        for (int at = ts.readerIndex(); at < ts.writerIndex(); at += 188) {
            parser.packet(ts, at);
        }
        List.copyOf(parser.open.keySet()).forEach(parser::close);
        return parser;
    }

    private void packet(ByteBuf ts, int at) {
        assertEquals(0x47, ts.getUnsignedByte(at), "sync byte");
        int b1 = ts.getUnsignedByte(at + 1);
        assertEquals(0, b1 & 0x80, "transport_error_indicator");
        boolean unitStart = (b1 & 0x40) != 0;
        int pid = (b1 & 0x1F) << 8 | ts.getUnsignedByte(at + 2);
        int b3 = ts.getUnsignedByte(at + 3);
        assertEquals(0, b3 & 0xC0, "transport_scrambling_control");
        int control = (b3 >> 4) & 0x03;
        int counter = b3 & 0x0F;
        assertTrue(control != 0, "reserved adaptation_field_control");
        Integer last = lastCounter.put(pid, counter);
        if (last != null && (control & 1) != 0) {
            assertEquals((last + 1) & 0x0F, counter, "continuity_counter of PID " + pid);
        }
        int index = at + 4;
        int adaptation = -1;
        boolean randomAccess = false;
        long pcr = -1;
        if ((control & 2) != 0) {
            adaptation = ts.getUnsignedByte(index);
            assertTrue(adaptation <= 183, "adaptation_field_length");
            if (adaptation > 0) {
                int flags = ts.getUnsignedByte(index + 1);
                randomAccess = (flags & 0x40) != 0;
                int field = index + 2;
                if ((flags & 0x10) != 0) {
                    long base = ts.getUnsignedInt(field) << 1 | ts.getUnsignedByte(field + 4) >> 7;
                    assertEquals(0x7E, ts.getUnsignedByte(field + 4) & 0x7E, "PCR reserved bits");
                    pcr = base;
                    field += 6;
                }
                for (int i = field; i <= index + adaptation; i++) {
                    assertEquals(0xFF, ts.getUnsignedByte(i), "stuffing byte");
                }
            }
            index += 1 + adaptation;
        }
        boolean hasPayload = (control & 1) != 0;
        packets.add(new Packet(pid, unitStart, counter, adaptation, hasPayload));
        if (!hasPayload) {
            return;
        }
        byte[] payload = new byte[at + 188 - index];
        ts.getBytes(index, payload);
        if (pid == 0 || pid == TsWriterPids.PMT) {
            assertTrue(unitStart);
            int pointer = payload[0] & 0xFF;
            int length = ((payload[pointer + 2] & 0x0F) << 8 | payload[pointer + 3] & 0xFF) + 3;
            byte[] section = new byte[length];
            System.arraycopy(payload, pointer + 1, section, 0, length);
            sections.add(section);
            for (int i = pointer + 1 + length; i < payload.length; i++) {
                assertEquals((byte) 0xFF, payload[i], "stuffing after a section");
            }
            return;
        }
        if (unitStart) {
            close(pid);
            open.put(pid, new ByteArrayOutputStream());
            openFlags.put(pid, new boolean[] {randomAccess});
            openPcr.put(pid, pcr);
        } else {
            assertEquals(-1, pcr, "PCR only at the start of a PES packet");
        }
        open.get(pid).writeBytes(payload);
    }

    private void close(int pid) {
        ByteArrayOutputStream bytes = open.remove(pid);
        if (bytes == null) {
            return;
        }
        byte[] data = bytes.toByteArray();
        assertEquals(0, data[0]);
        assertEquals(0, data[1]);
        assertEquals(1, data[2]);
        int streamId = data[3] & 0xFF;
        int declared = (data[4] & 0xFF) << 8 | data[5] & 0xFF;
        assertEquals(0x80, data[6] & 0xC0, "'10' marker bits");
        int ptsDts = (data[7] & 0xFF) >> 6;
        int headerLength = data[8] & 0xFF;
        long pts = -1;
        long dts = -1;
        if (ptsDts >= 2) {
            pts = timestamp(data, 9, ptsDts == 3 ? 3 : 2);
        }
        if (ptsDts == 3) {
            dts = timestamp(data, 14, 1);
        }
        if (declared != 0) {
            assertEquals(declared, data.length - 6, "PES_packet_length");
        }
        byte[] payload = new byte[data.length - 9 - headerLength];
        System.arraycopy(data, 9 + headerLength, payload, 0, payload.length);
        pes.add(new Pes(pid, streamId, pts, dts, openFlags.remove(pid)[0], openPcr.remove(pid), declared, payload));
    }

    /** A 5-byte time stamp, checking its prefix and marker bits. */
    static long timestamp(byte[] data, int at, int prefix) {
        assertEquals(prefix, (data[at] & 0xF0) >> 4, "time stamp prefix");
        assertEquals(1, data[at] & 1, "marker");
        assertEquals(1, data[at + 2] & 1, "marker");
        assertEquals(1, data[at + 4] & 1, "marker");
        return (long) (data[at] & 0x0E) << 29 | (data[at + 1] & 0xFFL) << 22 | (data[at + 2] & 0xFEL) << 14
                | (data[at + 3] & 0xFFL) << 7 | (data[at + 4] & 0xFEL) >> 1;
    }

    public List<Packet> packets() {
        return packets;
    }

    public List<Pes> pes() {
        return pes;
    }

    /** PSI sections (PAT, PMT) in order, each from table_id to CRC_32. */
    public List<byte[]> sections() {
        return sections;
    }

    /** The PMT PID that HLS segments use, known to the parser for PSI reassembly. */
    public static final class TsWriterPids {
        public static final int PMT = 0x1000;

        private TsWriterPids() {
        }
    }
}
