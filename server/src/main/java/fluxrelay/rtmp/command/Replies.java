package fluxrelay.rtmp.command;

import fluxrelay.rtmp.amf.AmfBoolean;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.amf.Amf0Writer;
import fluxrelay.rtmp.message.CommandMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The replies and notifications the server sends, shaped exactly as FMS sends them (Adobe FMS and
 * nginx-rtmp wire behaviour), so that encoders waiting for a particular reply proceed.
 */
public final class Replies {

    /** The FMS version string encoders expect in the connect reply. */
    public static final String FMS_VERSION = "FMS/3,0,1,123";
    private static final int CAPABILITIES = 31;

    private Replies() {
    }

    /** {@code _result} of {@code connect}: server properties and the Connect.Success information object. */
    public static CommandMessage connectSuccess(double tx, double objectEncoding) {
        return connectResult(tx, connectProperties(), objectEncoding);
    }

    private static AmfObject connectProperties() {
        return AmfObject.of("fmsVer", FMS_VERSION, "capabilities", CAPABILITIES, "mode", 1);
    }

    private static CommandMessage connectResult(double tx, AmfObject properties, double objectEncoding) {
        AmfObject information = AmfObject.of("level", StatusCodes.LEVEL_STATUS, "code", StatusCodes.CONNECT_SUCCESS,
                "description", "Connection succeeded.", "objectEncoding", objectEncoding);
        return new CommandMessage(0, "_result", tx, properties, List.of(information));
    }

    /**
     * {@code _result} of {@code connect} to an Enhanced RTMP client: as {@link #connectSuccess(double, double)}, with
     * the server's capabilities among the properties.
     */
    public static CommandMessage connectSuccess(double tx, double objectEncoding, EnhancedCapabilities server) {
        return connectResult(tx, server.addTo(connectProperties()), objectEncoding);
    }

    /** {@code _error} of {@code connect}: the connection is refused, with the reason. */
    public static CommandMessage connectRejected(double tx, String description) {
        AmfObject information = AmfObject.of("level", StatusCodes.LEVEL_ERROR, "code", StatusCodes.CONNECT_REJECTED,
                "description", description);
        return new CommandMessage(0, "_error", tx, AmfNull.INSTANCE, List.of(information));
    }

    /** {@code _result} with a null command object and one value (createStream returns the stream id). */
    public static CommandMessage result(double tx, AmfValue value) {
        return new CommandMessage(0, "_result", tx, AmfNull.INSTANCE, value == null ? List.of() : List.of(value));
    }

    /** {@code _result} for {@code createStream}. */
    public static CommandMessage streamCreated(double tx, int streamId) {
        return result(tx, new AmfNumber(streamId));
    }

    /** {@code _error} for a command that failed or is unknown; the connection lives on. */
    public static CommandMessage error(int streamId, double tx, String code, String description) {
        AmfObject information = AmfObject.of("level", StatusCodes.LEVEL_ERROR, "code", code, "description", description);
        return new CommandMessage(streamId, "_error", tx, AmfNull.INSTANCE, List.of(information));
    }

    /** {@code onStatus} on a stream, with optional extra key/value pairs (details, clientid). */
    public static CommandMessage onStatus(int streamId, String level, String code, String description, Object... extra) {
        Object[] pairs = new Object[6 + extra.length];
        pairs[0] = "level";
        pairs[1] = level;
        pairs[2] = "code";
        pairs[3] = code;
        pairs[4] = "description";
        pairs[5] = description;
        System.arraycopy(extra, 0, pairs, 6, extra.length);
        return new CommandMessage(streamId, "onStatus", 0, AmfNull.INSTANCE, List.of(AmfObject.of(pairs)));
    }

    /** {@code onFCPublish}/{@code onFCUnpublish}, which FMLE-style encoders wait for. */
    public static CommandMessage onFcPublish(String name, String code, String description) {
        return new CommandMessage(0, name, 0, AmfNull.INSTANCE, List.of(AmfObject.of("code", code, "description", description)));
    }

    /** The {@code |RtmpSampleAccess} data message body (AMF0), allowing players to read audio and video samples. */
    public static ByteBuf sampleAccess(ByteBufAllocator alloc) {
        ByteBuf body = alloc.buffer(32);
        Amf0Writer.write(body, new AmfString("|RtmpSampleAccess"));
        Amf0Writer.write(body, new AmfBoolean(true));
        Amf0Writer.write(body, new AmfBoolean(true));
        return body;
    }
}
