package fluxrelay.rtmp.command;

import fluxrelay.rtmp.amf.Amf0Writer;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.message.CommandMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;

/**
 * The server-to-client calls of FMS native bandwidth detection: {@code onBWCheck} carrying a payload the
 * client answers with {@code _result}, and {@code onBWDone} with the measured figures (kbit/s down, kbit
 * delivered, seconds, latency in ms), in the order FMS gives them. librtmp answers {@code onBWCheck}
 * ({@code SendCheckBWResult}) and asks for a check with {@code _checkbw} after an {@code onBWDone} that came
 * without one; ffmpeg asks with {@code _checkbw} after every {@code onBWDone} and does not answer
 * {@code onBWCheck}.
 */
public final class BandwidthCalls {

    /** AMF0 long-string marker (AMF0 spec 2.14): a 32-bit length, so a payload may exceed 64 KiB. */
    private static final int LONG_STRING = 0x0C;

    private BandwidthCalls() {
    }

    /**
     * The AMF0 body of an {@code onBWCheck} call with transaction {@code tx} and, when {@code payload} is not null,
     * that payload as one AMF0 long string: sent as a command message (type 20) on the command chunk stream, already
     * encoded so that a large payload is not decoded into AMF values and written again. Takes ownership of
     * {@code payload}, which must be text the client may read as UTF-8; the caller owns the returned body.
     */
    public static ByteBuf onBwCheckBody(ByteBufAllocator alloc, double tx, ByteBuf payload) {
        ByteBuf head = alloc.buffer(40);
        Amf0Writer.writeAll(head, new AmfString("onBWCheck"), new AmfNumber(tx), AmfNull.INSTANCE);
        ByteBuf body = head;
        if (payload != null) {
            head.writeByte(LONG_STRING).writeInt(payload.readableBytes());
            CompositeByteBuf composite = alloc.compositeBuffer(2);
            composite.addComponents(true, head, payload);
            body = composite;
        }
        return body;
    }

    /**
     * {@code onBWDone} with the figures of a finished detection.
     *
     * @param kbitDown measured download rate, kbit/s
     * @param deltaDownKbit kbit delivered during the timed part
     * @param deltaTimeSeconds seconds the timed part took, latency removed
     * @param latencyMillis round-trip latency, ms
     */
    public static CommandMessage onBwDone(double kbitDown, double deltaDownKbit, double deltaTimeSeconds, double latencyMillis) {
        return new CommandMessage(0, "onBWDone", 0, AmfNull.INSTANCE, List.of(new AmfNumber(kbitDown),
                new AmfNumber(deltaDownKbit), new AmfNumber(deltaTimeSeconds), new AmfNumber(latencyMillis)));
    }
}
