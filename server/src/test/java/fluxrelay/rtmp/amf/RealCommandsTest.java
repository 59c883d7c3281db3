package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Command and data bodies as real encoders send them, rebuilt byte by byte from the decoded
 * captures (ffmpeg 5.1 and OBS 29.0.2 publishing to nginx-rtmp, see the project's captures README):
 * decoded, re-encoded, compared.
 */
class RealCommandsTest {

    /** ffmpeg 5.1 {@code connect} when publishing ({@code -f flv rtmp://127.0.0.1:29350/live/...}). */
    static final byte[] FFMPEG_CONNECT = Bytes.of("""
            02 0007 'connect'                                    # string, U16 length 7
            00 3FF0000000000000                                  # number 1.0: transaction id
            03                                                   # anonymous object
               0003 'app'      02 0004 'live'
               0004 'type'     02 000A 'nonprivate'
               0008 'flashVer' 02 0024 'FMLE/3.0 (compatible; Lavf59.27.100)'
               0005 'tcUrl'    02 001B 'rtmp://127.0.0.1:29350/live'
               0000 09                                           # empty name + object-end
            """);

    @Test
    void ffmpegConnectDecodes() {
        List<AmfValue> values = Bytes.readAmf0(FFMPEG_CONNECT);
        assertEquals(3, values.size());
        assertEquals("connect", values.get(0).asString());
        assertEquals(1.0, values.get(1).asNumber());
        AmfObject command = values.get(2).asObject();
        assertEquals("live", command.getString("app"));
        assertEquals("nonprivate", command.getString("type"));
        assertEquals("FMLE/3.0 (compatible; Lavf59.27.100)", command.getString("flashVer"));
        assertEquals("rtmp://127.0.0.1:29350/live", command.getString("tcUrl"));
        assertEquals(List.of("app", "type", "flashVer", "tcUrl"), List.copyOf(command.entries().keySet()));
        // the capture's own rendering of the message
        assertEquals("'connect', 1, {app: 'live', type: 'nonprivate', "
                + "flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)', tcUrl: 'rtmp://127.0.0.1:29350/live'}",
                render(values));
    }

    @Test
    void ffmpegConnectReEncodesToTheSameBytes() {
        List<AmfValue> values = Bytes.readAmf0(FFMPEG_CONNECT);
        assertEquals(Bytes.hex(FFMPEG_CONNECT), Bytes.hex(Bytes.written(out -> Amf0Writer.writeAll(out, values))));
        AmfValue[] built = {new AmfString("connect"), new AmfNumber(1), AmfObject.of(
                "app", "live", "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)", "tcUrl", "rtmp://127.0.0.1:29350/live")};
        assertEquals(Bytes.hex(FFMPEG_CONNECT), Bytes.hex(Bytes.amf0(built)));
    }

    /** The server's connect {@code _result} from the same capture, built as command code would. */
    @Test
    void connectResultEncodes() {
        byte[] expected = Bytes.of("""
                02 0007 '_result'
                00 3FF0000000000000
                03 0006 'fmsVer' 02 000D 'FMS/3,0,1,123'
                   000C 'capabilities' 00 403F000000000000
                   0000 09
                03 0005 'level' 02 0006 'status'
                   0004 'code' 02 001D 'NetConnection.Connect.Success'
                   000B 'description' 02 0015 'Connection succeeded.'
                   000E 'objectEncoding' 00 0000000000000000
                   0000 09
                """);
        AmfValue[] reply = {
            AmfValue.of("_result"), AmfValue.of(1),
            AmfObject.of("fmsVer", "FMS/3,0,1,123", "capabilities", 31),
            AmfObject.of("level", "status", "code", "NetConnection.Connect.Success",
                    "description", "Connection succeeded.", "objectEncoding", 0)};
        assertEquals(Bytes.hex(expected), Bytes.hex(Bytes.amf0(reply)));
        assertEquals("'_result', 1, {fmsVer: 'FMS/3,0,1,123', capabilities: 31}, {level: 'status', "
                + "code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0}",
                render(List.of(reply)));
    }

    /** OBS 29.0.2's {@code @setDataFrame} body, member for member as the capture shows it. */
    @Test
    void obsMetadataRoundTrips() {
        AmfEcmaArray metadata = AmfEcmaArray.of(
                "duration", 0, "fileSize", 0, "width", 1280, "height", 720, "videocodecid", 7,
                "videodatarate", 1500, "framerate", 30, "audiocodecid", 10, "audiodatarate", 128,
                "audiosamplerate", 48000, "audiosamplesize", 16, "audiochannels", 2, "stereo", true,
                "2.1", false, "3.1", false, "4.0", false, "4.1", false, "5.1", false, "7.1", false,
                "encoder", "obs-output module (libobs version 29.0.2.1-1+b1)");
        List<AmfValue> body = List.of(AmfValue.of("@setDataFrame"), AmfValue.of("onMetaData"), metadata);
        byte[] bytes = Bytes.written(out -> Amf0Writer.writeAll(out, body));

        byte[] head = Bytes.of("""
                02 000D '@setDataFrame'
                02 000A 'onMetaData'
                08 00000014
                   0008 'duration' 00 0000000000000000
                   0008 'fileSize' 00 0000000000000000
                   0005 'width'    00 4094000000000000
                """);
        assertEquals(Bytes.hex(head), Bytes.hex(java.util.Arrays.copyOf(bytes, head.length)));
        byte[] tail = Bytes.of("0007 'encoder' 02 0030 'obs-output module (libobs version 29.0.2.1-1+b1)' 0000 09");
        assertEquals(Bytes.hex(tail), Bytes.hex(java.util.Arrays.copyOfRange(bytes, bytes.length - tail.length,
                bytes.length)));

        List<AmfValue> decoded = Bytes.readAmf0(bytes);
        assertEquals(body, decoded);
        AmfEcmaArray back = (AmfEcmaArray) decoded.get(2);
        assertEquals(List.copyOf(metadata.entries().keySet()), List.copyOf(back.entries().keySet()));
        assertEquals(1280, back.getNumber("width"));
        assertEquals(Bytes.hex(bytes), Bytes.hex(Bytes.written(out -> Amf0Writer.writeAll(out, decoded))));
        assertEquals("'@setDataFrame', 'onMetaData', ECMA[duration: 0, fileSize: 0, width: 1280, height: 720, "
                + "videocodecid: 7, videodatarate: 1500, framerate: 30, audiocodecid: 10, audiodatarate: 128, "
                + "audiosamplerate: 48000, audiosamplesize: 16, audiochannels: 2, stereo: true, 2.1: false, "
                + "3.1: false, 4.0: false, 4.1: false, 5.1: false, 7.1: false, "
                + "encoder: 'obs-output module (libobs version 29.0.2.1-1+b1)']", render(decoded));
    }

    /** ffmpeg's metadata has a non-integral rate, rendered as the capture shows it. */
    @Test
    void ffmpegMetadataRendersFractions() {
        AmfEcmaArray metadata = AmfEcmaArray.of("videodatarate", 1464.84375, "stereo", true,
                "encoder", "Lavf59.27.100");
        assertEquals(List.of(metadata), Bytes.readAmf0(Bytes.amf0(metadata)));
        assertEquals("ECMA[videodatarate: 1464.84375, stereo: true, encoder: 'Lavf59.27.100']", metadata.toString());
    }

    private static String render(List<AmfValue> values) {
        return values.stream().map(AmfValue::toString).collect(Collectors.joining(", "));
    }
}
