package fluxrelay.rtmp.session;

import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfNull;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sessions on EmbeddedChannels sharing one room registry and hub, at the message level. */
final class SessionFixture implements AutoCloseable {

    static final String KEY = "secret-key";

    final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("demo", "Demo", "live", KEY, true)));
    final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    final PublishAuthorizer authorizer = new PublishAuthorizer(rooms);
    final SessionContext context = new SessionContext(rooms, authorizer,
            room -> streams.stream(room.id(), room.autoLive()), new IngestPolicy(1920, 1080, 30, 1000, 2000, false),
            new SessionSettings(4096, 5_000_000, 5_000_000, Duration.ofSeconds(10), Duration.ofSeconds(3), Duration.ofSeconds(60), 16,
                    100, Duration.ofMinutes(30)),
            new ViewerLimits(4 << 20, Duration.ofSeconds(10), Duration.ZERO), new EgressCounters("rtmp"), SessionEvents.NONE,
            authorizer, fluxrelay.rooms.ActivityListener.NONE, new fluxrelay.rooms.PublishAttemptLimiter(3, Duration.ofMinutes(1)));

    /** A connection from a client address, session installed. */
    EmbeddedChannel connection() {
        EmbeddedChannel channel = new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress("192.0.2.7", 50000);
            }
        };
        channel.pipeline().addLast(new RtmpSession(context));
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
        streams.close();
    }
}
