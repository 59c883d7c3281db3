package fluxrelay.loadtest.rtmp;

import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import java.util.List;

/**
 * The NetConnection and NetStream commands a load client sends (RTMP spec 7.2.1.1, 7.2.1.3, 7.2.2.1,
 * 7.2.2.6), shaped like ffmpeg's, and the decoding of the server's replies.
 */
public final class Commands {

    /** Transaction id of {@code connect}. */
    public static final int CONNECT_TX = 1;
    /** Transaction id of {@code createStream}. */
    public static final int CREATE_STREAM_TX = 2;

    private static final RtmpMessageDecoder DECODER = new RtmpMessageDecoder(AmfLimits.DEFAULT);

    private Commands() {
    }

    /** {@code connect} to the URL's application. */
    public static CommandMessage connect(RtmpUrl url, boolean publisher) {
        AmfObject object = AmfObject.of("app", url.app(), "type", "nonprivate",
                "flashVer", publisher ? "FMLE/3.0 (compatible; fluxrelay-loadtest)" : "LNX 9,0,124,2",
                "tcUrl", url.tcUrl(), "fpad", false, "capabilities", 15.0, "audioCodecs", 4071.0, "videoCodecs", 252.0,
                "videoFunction", 1.0);
        return new CommandMessage(0, "connect", CONNECT_TX, object, List.of());
    }

    /** {@code createStream}. */
    public static CommandMessage createStream() {
        return new CommandMessage(0, "createStream", CREATE_STREAM_TX, AmfNull.INSTANCE, List.of());
    }

    /** {@code play} of a live stream (start -1000 as ffmpeg sends: live only). */
    public static CommandMessage play(int streamId, String name) {
        return new CommandMessage(streamId, "play", 0, AmfNull.INSTANCE, List.of(new AmfString(name), new AmfNumber(-1000)));
    }

    /** {@code publish} live. */
    public static CommandMessage publish(int streamId, String name) {
        return new CommandMessage(streamId, "publish", 0, AmfNull.INSTANCE, List.of(new AmfString(name), new AmfString("live")));
    }

    /** Decodes a command, user control or other non-media message; consumes {@code raw}. */
    public static RtmpMessage decode(RawMessage raw) {
        return DECODER.decode(raw);
    }

    /** The {@code code} of an {@code onStatus} or {@code _error} info object, or null. */
    public static String statusCode(CommandMessage command) {
        AmfValue info = command.arguments().isEmpty() ? command.commandObject() : command.argument(0);
        return info instanceof AmfObject object ? object.getString("code") : null;
    }

    /** The {@code level} of an {@code onStatus} info object, or null. */
    public static String statusLevel(CommandMessage command) {
        AmfValue info = command.arguments().isEmpty() ? null : command.argument(0);
        return info instanceof AmfObject object ? object.getString("level") : null;
    }
}
