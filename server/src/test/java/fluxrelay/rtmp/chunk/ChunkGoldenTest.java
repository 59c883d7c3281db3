package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.concat;
import static fluxrelay.rtmp.chunk.ChunkFixtures.decode;
import static fluxrelay.rtmp.chunk.ChunkFixtures.encode;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static fluxrelay.rtmp.chunk.ChunkFixtures.msg;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static fluxrelay.rtmp.chunk.ChunkFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.rtmp.chunk.ChunkFixtures.Msg;
import fluxrelay.rtmp.chunk.ChunkFixtures.Splits;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden chunk streams (RTMP spec 5.3.1, 5.4.1, 5.4.2). One table drives decoding (whole and one
 * byte at a time), encoding (byte-exact where our encoder writes that form) and the round trip.
 */
class ChunkGoldenTest {

    /**
     * @param encoderWritesWire whether {@link ChunkEncoder} produces exactly {@code wire} for
     *     {@code messages}; false for forms other peers send but our encoder never chooses
     */
    record Golden(String name, boolean encoderWritesWire, List<Msg> messages, byte[] wire) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final byte[] P20 = pattern(20, 1);
    private static final byte[] P130 = pattern(130, 2);
    private static final byte[] V200 = pattern(200, 3);
    private static final byte[] V300 = pattern(300, 4);

    static Stream<Golden> table() {
        return Stream.of(
                new Golden("fmt 0, 1-byte basic header, csid 3", true,
                        List.of(msg(3, 20, 0, 0, hex("AABBCCDD"))),
                        hex("""
                                03        # fmt 0 | csid 3
                                000000    # timestamp 0
                                000004    # message length 4
                                14        # type 20, AMF0 command
                                00000000  # message stream id 0, little-endian
                                AABBCCDD  # payload
                                """)),
                new Golden("basic header forms: csid 63, 64, 319, 320, 65599", true,
                        List.of(msg(63, 9, 0, 1, hex("01")), msg(64, 9, 0, 1, hex("02")), msg(319, 9, 0, 1, hex("03")),
                                msg(320, 9, 0, 1, hex("04")), msg(65599, 9, 0, 1, hex("05"))),
                        hex("""
                                3F 000000 000001 09 01000000 01  # fmt 0 | csid 63: largest 1-byte form
                                00 00                            # fmt 0 | 0, then csid-64 = 0: csid 64
                                   000000 000001 09 01000000 02
                                00 FF                            # 2-byte form, 255 + 64 = csid 319
                                   000000 000001 09 01000000 03
                                01 00 01                         # 3-byte form: (0x00 + 0x01*256) + 64 = csid 320
                                   000000 000001 09 01000000 04
                                01 FF FF                         # 3-byte form: 0xFFFF + 64 = csid 65599
                                   000000 000001 09 01000000 05
                                """)),
                new Golden("fmt 1, 2 and 3 headers on one chunk stream", true,
                        List.of(msg(4, 8, 0, 1, hex("A0A1A2")), msg(4, 8, 20, 1, hex("B0B1B2B3")),
                                msg(4, 8, 50, 1, hex("C0C1C2C3")), msg(4, 8, 80, 1, hex("D0D1D2D3"))),
                        hex("""
                                04 000000 000003 08 01000000 A0A1A2  # fmt 0 | csid 4, audio, stream 1
                                44                                   # fmt 1 | csid 4
                                   000014                            # delta 20
                                   000004 08                         # length 4 changed, type 8
                                   B0B1B2B3
                                84 00001E                            # fmt 2 | csid 4, delta 30 changed
                                   C0C1C2C3
                                C4                                   # fmt 3 | csid 4: delta 30, length 4 repeat
                                   D0D1D2D3
                                """)),
                new Golden("fmt 3 after fmt 0 takes the timestamp as delta", true,
                        List.of(msg(5, 9, 10, 1, hex("01")), msg(5, 9, 20, 1, hex("02"))),
                        hex("""
                                05 00000A 000001 09 01000000 01  # fmt 0 | csid 5, timestamp 10
                                C5 02                            # fmt 3 | csid 5: 10 + 10 = 20
                                """)),
                new Golden("fmt 1 when only the length changes (delta 0)", true,
                        List.of(msg(3, 20, 0, 0, hex("01")), msg(3, 20, 0, 0, hex("0102"))),
                        hex("""
                                03 000000 000001 14 00000000 01
                                43 000000 000002 14 0102         # fmt 1 | csid 3: delta 0, length 2, type 20
                                """)),
                new Golden("zero-length messages", true,
                        List.of(msg(3, 20, 0, 0, new byte[0]), msg(3, 20, 0, 0, new byte[0])),
                        hex("""
                                03 000000 000000 14 00000000  # fmt 0, length 0: a whole message, no data
                                C3                            # fmt 3: the same again
                                """)),
                new Golden("message split at the initial chunk size 128", true,
                        List.of(msg(3, 20, 0, 0, P130)),
                        concat(hex("03 000000 000082 14 00000000  # length 130"), slice(P130, 0, 128),
                                hex("C3                            # fmt 3 | csid 3 continuation"),
                                slice(P130, 128, 130))),
                new Golden("extended timestamp, repeated on the fmt 3 continuation", true,
                        List.of(msg(6, 9, 0x01000000L, 1, P130)),
                        concat(hex("""
                                        06 FFFFFF  # fmt 0 | csid 6, timestamp field 0xFFFFFF: see extended
                                        000082 09 01000000
                                        01000000   # extended timestamp 16777216
                                        """), slice(P130, 0, 128),
                                hex("C6 01000000  # fmt 3 | csid 6, extended timestamp again"),
                                slice(P130, 128, 130))),
                new Golden("timestamp going backwards gets fmt 0", true,
                        List.of(msg(4, 8, 100, 1, hex("01")), msg(4, 8, 50, 1, hex("02"))),
                        hex("""
                                04 000064 000001 08 01000000 01  # timestamp 100
                                04 000032 000001 08 01000000 02  # timestamp 50: fmt 0 again
                                """)),
                new Golden("message stream id change gets fmt 0", true,
                        List.of(msg(8, 20, 0, 0, hex("01")), msg(8, 20, 0, 1, hex("02"))),
                        hex("""
                                08 000000 000001 14 00000000 01
                                08 000000 000001 14 01000000 02  # stream 1
                                """)),
                new Golden("Set Chunk Size applies to what follows, both ways", true,
                        List.of(msg(2, 1, 0, 0, hex("00000008")), msg(3, 20, 0, 0, P20)),
                        concat(hex("""
                                        02 000000 000004 01 00000000  # fmt 0 | csid 2, Set Chunk Size
                                        00000008                      # new size 8
                                        03 000000 000014 14 00000000  # length 20
                                        """), slice(P20, 0, 8), hex("C3"), slice(P20, 8, 16), hex("C3"),
                                slice(P20, 16, 20))),
                new Golden("timestamp wraps modulo 2^32 with a fmt 2 delta", false,
                        List.of(msg(4, 8, 0xFFFFFFF0L, 1, hex("01")), msg(4, 8, 0x10, 1, hex("02"))),
                        hex("""
                                04 FFFFFF 000001 08 01000000  # fmt 0 | csid 4, extended timestamp follows
                                FFFFFFF0 01                   # timestamp 0xFFFFFFF0
                                84 000020 02                  # fmt 2, delta 0x20: 0x1_00000010 mod 2^32 = 0x10
                                """)),
                new Golden("extended delta on fmt 1 and on a fmt 3 new message", false,
                        List.of(msg(7, 9, 0, 1, hex("01")), msg(7, 9, 0x01000000L, 1, hex("0202")),
                                msg(7, 9, 0x02000010L, 1, hex("0303"))),
                        hex("""
                                07 000000 000001 09 01000000 01
                                47 FFFFFF 000002 09           # fmt 1 | csid 7, delta in the extended field
                                01000000 0202                 # delta 0x01000000
                                C7 01000010 0303              # fmt 3 new message: the extended field is
                                                              # its delta, 0x01000010 (as ffmpeg reads it)
                                """)),
                new Golden("messages interleaved on two chunk streams", false,
                        List.of(msg(4, 8, 0, 1, hex("A0A1A2")), msg(6, 9, 0, 1, V200)),
                        concat(hex("06 000000 0000C8 09 01000000  # video, 200 bytes"), slice(V200, 0, 128),
                                hex("04 000000 000003 08 01000000 A0A1A2  # whole audio message between"),
                                hex("C6                                   # rest of the video"),
                                slice(V200, 128, 200))),
                new Golden("Abort drops the partial message", false,
                        List.of(msg(2, 2, 0, 0, hex("00000006")), msg(6, 9, 0, 1, hex("EE"))),
                        concat(hex("06 000000 0000C8 09 01000000  # video, 200 bytes"), slice(V200, 0, 128),
                                hex("""
                                        02 000000 000004 02 00000000  # Abort Message
                                        00000006                      # csid 6
                                        06 000000 000001 09 01000000  # csid 6 starts afresh
                                        EE
                                        """))),
                new Golden("Set Chunk Size from the peer in the middle of a message", false,
                        List.of(msg(2, 1, 0, 0, hex("00001000")), msg(6, 9, 0, 1, V300)),
                        concat(hex("06 000000 00012C 09 01000000  # video, 300 bytes"), slice(V300, 0, 128),
                                hex("02 000000 000004 01 00000000 00001000  # Set Chunk Size 4096"),
                                hex("C6                                     # the other 172 bytes at once"),
                                slice(V300, 128, 300))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decodesWhole(Golden g) {
        assertEquals(g.messages(), decode(g.wire(), Splits.whole()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void decodesOneByteAtATime(Golden g) {
        assertEquals(g.messages(), decode(g.wire(), Splits.bytewise()));
    }

    static Stream<Golden> encoderForms() {
        return table().filter(Golden::encoderWritesWire);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoderForms")
    void encodesToTheSameBytes(Golden g) {
        assertArrayEquals(g.wire(), encode(g.messages()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void roundTrips(Golden g) {
        assertEquals(g.messages(), decode(encode(g.messages()), Splits.whole()));
    }
}
