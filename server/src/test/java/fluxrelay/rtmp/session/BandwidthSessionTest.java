package fluxrelay.rtmp.session;

import static fluxrelay.rtmp.session.SessionFixture.call;
import static fluxrelay.rtmp.session.SessionFixture.command;
import static fluxrelay.rtmp.session.SessionFixture.connect;
import static fluxrelay.rtmp.session.SessionFixture.drain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.Amf0Reader;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfString;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.CommandMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FMS-style bandwidth detection and the play gate at the message level. An EmbeddedChannel has no kernel
 * figures, so a client that answers onBWCheck is timed by its replies, one that does not by write completion.
 */
class BandwidthSessionTest {

    private final SessionFixture fixture = new SessionFixture();
    private final BandwidthRegistry bandwidth = new BandwidthRegistry(
            new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN), false,
                    new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                    new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 0),
                    Duration.ofMinutes(2), "bwtoken", 20),
            Map.of("strict", BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE)), ProbeTokens.randomSecret(),
            Clock.systemUTC());
    private final SessionContext context = fixture.context(bandwidth);

    BandwidthSessionTest() {
        fixture.rooms.put(new Room("strict", "Strict", "live", "strict-key", true));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    private EmbeddedChannel connected() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpSession(context));
        channel.writeInbound(connect("live"));
        release(drain(channel));
        return channel;
    }

    private static void release(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    /** One onBWCheck seen on the wire: its transaction and payload size. */
    private record BwCheck(double tx, int payload) {
    }

    private static List<BwCheck> bwChecks(List<Object> out) {
        List<BwCheck> checks = new ArrayList<>();
        for (Object message : out) {
            if (message instanceof RawMessage raw && raw.typeId() == MessageTypes.COMMAND_AMF0) {
                ByteBuf body = raw.payload();
                Amf0Reader reader = new Amf0Reader(AmfLimits.DEFAULT);
                assertEquals(new AmfString("onBWCheck"), reader.read(body));
                double tx = ((AmfNumber) reader.read(body)).value();
                assertEquals(AmfNull.INSTANCE, reader.read(body));
                int payload = 0;
                if (body.isReadable()) {
                    assertEquals(0x0C, body.readUnsignedByte(), "AMF0 long string");
                    payload = body.readInt();
                    assertEquals(payload, body.readableBytes());
                    for (int i = 0; i < payload; i += 997) {
                        byte c = body.getByte(body.readerIndex() + i);
                        assertTrue(Character.isLetterOrDigit(c) || c == '-' || c == '_', "payload is base64-alphabet text");
                    }
                }
                checks.add(new BwCheck(tx, payload));
            }
        }
        return checks;
    }

    private static CommandMessage named(List<Object> out, String name) {
        return out.stream().filter(m -> m instanceof CommandMessage c && c.name().equals(name)).map(CommandMessage.class::cast)
                .findFirst().orElse(null);
    }

    private static String code(CommandMessage status) {
        return ((AmfObject) status.argument(0)).getString("code");
    }

    /** Answers each onBWCheck as librtmp does until onBWDone comes; returns everything sent meanwhile. */
    private static List<Object> answerUntilDone(EmbeddedChannel channel, List<Object> out, List<BwCheck> seen) {
        List<Object> all = new ArrayList<>(out);
        List<BwCheck> checks = bwChecks(out);
        while (named(all, "onBWDone") == null) {
            assertFalse(checks.isEmpty(), "no onBWCheck to answer and no onBWDone");
            seen.addAll(checks);
            double last = checks.get(checks.size() - 1).tx();
            release(out);
            channel.writeInbound(command(0, "_result", last, AmfNull.INSTANCE, new AmfNumber(seen.size())));
            out = drain(channel);
            all.addAll(out);
            checks = bwChecks(out);
        }
        release(out);
        return all;
    }

    @Test
    void checkBandwidthRunsTheDetectionOnceAndEndsWithOnBwDone() {
        EmbeddedChannel channel = connected();
        channel.writeInbound(call("checkBandwidth", 2));
        List<Object> first = drain(channel);
        CommandMessage result = assertInstanceOf(CommandMessage.class, first.get(0));
        assertEquals("_result", result.name());
        assertEquals(2.0, result.transactionId());
        List<BwCheck> seen = new ArrayList<>();
        List<Object> all = answerUntilDone(channel, first, seen);
        // An empty latency ping, a warm-up burst, then bursts of growing payload adding up to 3 Mbit/s for 2 s.
        assertEquals(0, seen.get(0).payload());
        assertEquals(93_750, seen.get(1).payload());
        List<Integer> main = seen.subList(2, seen.size()).stream().map(BwCheck::payload).toList();
        assertEquals(List.of(50_000, 100_000, 200_000, 262_144, 137_856), main);
        assertEquals(750_000, main.stream().mapToInt(Integer::intValue).sum());
        CommandMessage done = named(all, "onBWDone");
        assertEquals(4, done.arguments().size());
        assertTrue(done.argument(0).asNumber() > 3000, "kbit/s down: " + done);
        assertEquals(6000.0, done.argument(1).asNumber(), "kbit delivered in the timed part");
        // ffmpeg asks again after every onBWDone: answered, never run twice.
        channel.writeInbound(call("_checkbw", 9));
        List<Object> again = drain(channel);
        assertEquals(1, again.size());
        assertEquals("_result", ((CommandMessage) again.get(0)).name());
        release(again);
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientThatNeverAnswersIsTimedByWriteCompletion() {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpSession(context));
        channel.freezeTime();
        channel.writeInbound(connect("live"));
        release(drain(channel));
        channel.writeInbound(call("_checkbw", 0));
        List<Object> ping = drain(channel);
        assertEquals(1, bwChecks(ping).size());
        release(ping);
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        List<Object> rest = drain(channel);
        assertTrue(bwChecks(rest).size() >= 2, "warm-up and bursts follow without replies");
        assertTrue(named(rest, "onBWDone") != null, rest.toString());
        release(rest);
        channel.finishAndReleaseAll();
    }

    @Test
    void anEnforcedRoomMeasuresBeforePlaying() {
        EmbeddedChannel channel = connected();
        channel.writeInbound(call("createStream", 2));
        release(drain(channel));
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("strict")));
        List<Object> first = drain(channel);
        assertTrue(first.stream().noneMatch(m -> m instanceof CommandMessage c && c.name().equals("onStatus")),
                "no play status before the measurement");
        List<Object> all = answerUntilDone(channel, first, new ArrayList<>());
        List<Object> after = drain(channel);
        all.addAll(after);
        CommandMessage start = all.stream().filter(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                && code(c).equals("NetStream.Play.Start")).map(CommandMessage.class::cast).findFirst().orElse(null);
        assertTrue(start != null, all.toString());
        release(after);
        assertEquals(1, bandwidth.snapshot("strict").orElseThrow().detections());
        channel.finishAndReleaseAll();
    }

    @Test
    void anEnforcedRoomRefusesABelowTokenWithTheFigures() {
        EmbeddedChannel channel = connected();
        channel.writeInbound(call("createStream", 2));
        release(drain(channel));
        String token = bandwidth.tokens().issue("strict", 1_900_000, MeasurementMethod.TCP_ACKS);
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("strict?bwtoken=" + token)));
        List<Object> out = drain(channel);
        CommandMessage status = named(out, "onStatus");
        assertEquals("NetStream.Play.InsufficientBW", code(status));
        assertEquals("error", ((AmfObject) status.argument(0)).getString("level"));
        assertEquals("Your connection is too slow for this stream: measured 1.9 Mbit/s, required 3.0 Mbit/s.",
                ((AmfObject) status.argument(0)).getString("description"));
        assertTrue(bwChecks(out).isEmpty(), "a token spares the measurement");
        assertEquals(1, bandwidth.snapshot("strict").orElseThrow().refusedTotal());
        assertTrue(channel.isActive(), "a refused play keeps the connection");
        release(out);
        channel.finishAndReleaseAll();
    }

    @Test
    void aViewerGivenARenditionIsToldWhichAndWhyInPlayStart() {
        try (var rendition = fluxrelay.testing.MeasuredRendition.start(fixture.streams, "strict", "480p")) {
            EmbeddedChannel channel = connected();
            channel.writeInbound(call("createStream", 2));
            release(drain(channel));
            String token = bandwidth.tokens().issue("strict", 1_600_000, MeasurementMethod.TCP_ACKS);
            channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("strict?bwtoken=" + token)));
            List<Object> out = drain(channel);
            CommandMessage start = out.stream().filter(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                    && code(c).equals("NetStream.Play.Start")).map(CommandMessage.class::cast).findFirst().orElse(null);
            assertTrue(start != null, out.toString());
            AmfObject info = (AmfObject) start.argument(0);
            assertEquals("status", info.getString("level"));
            assertEquals("Playing rendition 480p: measured 1.6 Mbit/s, the program needs 3.0 Mbit/s.", info.getString("description"));
            assertEquals("480p", info.getString("rendition"));
            assertEquals(1.6, info.getNumber("measuredMbps"));
            assertEquals(3.0, info.getNumber("requiredMbps"));
            assertTrue(out.stream().noneMatch(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                    && code(c).equals("NetStream.Play.InsufficientBW")), "a rendition that fits plays without a warning");
            assertEquals(1, rendition.hub().snapshot().subscribers(), "the viewer plays the rendition's hub");
            release(out);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aProgramViewerGetsThePlainPlayStart() {
        EmbeddedChannel channel = connected();
        channel.writeInbound(call("createStream", 2));
        release(drain(channel));
        String token = bandwidth.tokens().issue("strict", 8_000_000, MeasurementMethod.TCP_ACKS);
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("strict?bwtoken=" + token)));
        List<Object> out = drain(channel);
        CommandMessage start = out.stream().filter(m -> m instanceof CommandMessage c && c.name().equals("onStatus")
                && code(c).equals("NetStream.Play.Start")).map(CommandMessage.class::cast).findFirst().orElseThrow();
        AmfObject info = (AmfObject) start.argument(0);
        assertEquals("Started playing strict.", info.getString("description"));
        assertFalse(info.has("rendition"));
        release(out);
        channel.finishAndReleaseAll();
    }

    @Test
    void aWarnedRoomPlaysABelowTokenWithAWarning() {
        EmbeddedChannel channel = connected();
        channel.writeInbound(call("createStream", 2));
        release(drain(channel));
        String token = bandwidth.tokens().issue("demo", 1_900_000, MeasurementMethod.TCP_ACKS);
        channel.writeInbound(command(1, "play", 0, AmfNull.INSTANCE, new AmfString("demo?bwtoken=" + token)));
        List<Object> out = drain(channel);
        List<String> codes = out.stream().filter(m -> m instanceof CommandMessage c && c.name().equals("onStatus"))
                .map(m -> code((CommandMessage) m)).toList();
        assertTrue(codes.contains("NetStream.Play.Start") && codes.contains("NetStream.Play.InsufficientBW"), codes.toString());
        release(out);
        channel.finishAndReleaseAll();
    }
}
