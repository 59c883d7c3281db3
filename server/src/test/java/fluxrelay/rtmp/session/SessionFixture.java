package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.IngestService;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.program.ProgramListener;
import fluxrelay.program.ProgramPolicy;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.TestServices;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sessions on EmbeddedChannels sharing one room registry and hub, at the message level. */
final class SessionFixture implements AutoCloseable {

    static final String KEY = "secret-key-0123456789";

    final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("demo", "Demo", "live", KEY, true)));
    final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    /** Feeds each room's program (what viewers of the room get) from its inputs, as the server does. */
    final ProgramSwitches programs = new ProgramSwitches(streams, rooms::findById, ProgramPolicy.DEFAULTS, ProgramListener.NONE);
    final PublishAttemptLimiter attempts = new PublishAttemptLimiter(3, Duration.ofMinutes(1));
    final IngestService ingest = TestServices.ingest(rooms, streams, attempts);
    final SessionContext context = context(BandwidthRegistry.disabled());
    /** Every connection made, finished (messages released) at {@link #close}. */
    private final List<EmbeddedChannel> opened = new ArrayList<>();

    /** A context over this fixture's rooms and hubs with these bandwidth checks. */
    SessionContext context(BandwidthRegistry bandwidth) {
        return TestServices.rtmp(ingest, TestServices.playback(rooms, streams, bandwidth, 100), bandwidth);
    }

    /** A context over this fixture's rooms and hubs with these session settings (no bandwidth checks). */
    SessionContext context(SessionSettings settings) {
        BandwidthRegistry none = BandwidthRegistry.disabled();
        return TestServices.rtmp(ingest, TestServices.playback(rooms, streams, none, 100), none, settings);
    }

    /** A connection from a client address, session installed. */
    EmbeddedChannel connection() {
        return connection(context);
    }

    /**
     * A connection from a client address, with a session over {@code context} installed before the channel is active,
     * as the server's pipeline has it (so the session's watchdog runs on the channel's clock).
     */
    EmbeddedChannel connection(SessionContext context) {
        EmbeddedChannel channel = new EmbeddedChannel(new RtmpSession(context)) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.7", 50000);
            }
        };
        opened.add(channel);
        return channel;
    }

    static CommandMessage command(int streamId, String name, double tx, AmfValue object, AmfValue... args) {
        return new CommandMessage(streamId, name, tx, object, List.of(args));
    }

    static CommandMessage connect(String app) {
        return command(0, "connect", 1, AmfObject.of("app", app, "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; FMSc/1.0)", "tcUrl", "rtmp://127.0.0.1/" + app));
    }

    static CommandMessage call(String name, double tx, AmfValue... args) {
        return command(0, name, tx, AmfNull.INSTANCE, args);
    }

    /** Every outbound message so far, in order. */
    static List<Object> drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readOutbound()) != null) {
            out.add(msg);
        }
        return out;
    }

    @Override
    public void close() {
        opened.forEach(EmbeddedChannel::finishAndReleaseAll);
        programs.close();
        streams.close();
    }
}
