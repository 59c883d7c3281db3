package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.rtmp.amf.AmfException;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The property both AMF targets check: decoding arbitrary bytes under small limits either fails with
 * an {@link AmfException} that leaves the reader index where it was, or consumes the whole message;
 * what decodes renders for logs, and survives a round trip through the matching writer (written again
 * and read back under default limits, since the writer expands references, it is the same value).
 */
final class AmfRoundTrip {

    /** Small enough to be reached by short inputs, large enough for real connect and onMetaData bodies. */
    static final AmfLimits LIMITS = new AmfLimits(8, 512, 256, 8192);

    private AmfRoundTrip() {
    }

    static void check(byte[] input, Function<AmfLimits, Function<ByteBuf, List<AmfValue>>> reader,
            BiConsumer<ByteBuf, List<AmfValue>> writer) {
        ByteBuf buf = Unpooled.wrappedBuffer(input);
        List<AmfValue> values;
        try {
            values = reader.apply(LIMITS).apply(buf);
        } catch (AmfException e) {
            assertEquals(0, buf.readerIndex(), "reader index after " + e.getMessage());
            return;
        }
        assertEquals(input.length, buf.readerIndex(), "a whole message is consumed");
        for (AmfValue value : values) {
            value.toString();
            value.hashCode();
        }
        ByteBuf again = Unpooled.buffer();
        try {
            writer.accept(again, values);
        } catch (AmfException e) {
            return; // a value the encoding cannot express again, e.g. a key over 65535 bytes
        }
        assertEquals(values, reader.apply(AmfLimits.DEFAULT).apply(again), "read, written and read again");
    }
}
