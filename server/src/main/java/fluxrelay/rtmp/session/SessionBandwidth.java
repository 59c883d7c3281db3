package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.playback.PlayDecision;
import fluxrelay.rtmp.command.Replies;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.CommandMessage;
import io.netty.channel.ChannelHandlerContext;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bandwidth side of one RTMP connection: its detection (run at most once: on {@code checkBandwidth} or
 * {@code _checkbw}, after {@code connect} when configured, or before a {@code play} that needs a figure), a
 * {@code play} waiting for the result, and the RTMP form of the playback service's answers: a refusal or a
 * warning with the figures. Runs on the connection's event loop.
 */
final class SessionBandwidth {

    private static final Logger log = LoggerFactory.getLogger(SessionBandwidth.class);

    private final ChannelHandlerContext ctx;
    private final BandwidthRegistry registry;
    private final Consumer<CommandMessage> replayPlay;
    private BandwidthCheck check;
    private Measurement detected;
    private CommandMessage deferredPlay;

    /** @param replayPlay plays a {@code play} command that waited for the detection */
    SessionBandwidth(ChannelHandlerContext ctx, BandwidthRegistry registry, Consumer<CommandMessage> replayPlay) {
        this.ctx = ctx;
        this.registry = registry;
        this.replayPlay = replayPlay;
    }

    /** After a successful connect: players (not FMLE-style encoders) are measured when so configured. */
    void connected(String flashVer) {
        if (registry.settings().rtmpDetectOnConnect() && (flashVer == null || !flashVer.startsWith("FMLE/"))) {
            start(null);
        }
    }

    /** The client asked for a check ({@code checkBandwidth}, {@code _checkbw}); answered once per connection. */
    void requested() {
        if (check != null && detected != null) {
            // ffmpeg asks again after every onBWDone: running again would loop.
            log.debug("{}: bandwidth check asked for again after onBWDone: answered, not run again", remote());
        }
        start(null);
    }

    /** A {@code _result} from the client, perhaps answering an {@code onBWCheck}. */
    void onReply(double tx) {
        if (check != null) {
            check.onReply(tx);
        }
    }

    /** This connection's detection result, or null. */
    Measurement detected() {
        return detected;
    }

    /** True while this connection's detection runs. */
    boolean detecting() {
        return check != null && check.running();
    }

    /** The play must wait for a measurement: the detection runs (sized for the room) and the play is replayed after. */
    void measureThenReplay(CommandMessage play, String roomId) {
        deferredPlay = play;
        start(roomId);
    }

    /** Tells the client why the room's bandwidth policy refused its play. */
    void refuse(CommandMessage play, PlayDecision.Refused refused) {
        BandwidthVerdict verdict = refused.verdict();
        String description = verdict == null ? "This room needs a passed bandwidth check."
                : "Your connection is too slow for this stream: " + verdict.figures() + ".";
        ctx.writeAndFlush(Replies.onStatus(play.messageStreamId(), StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_INSUFFICIENT_BW,
                description, "measuredKbps", verdict == null ? 0.0 : verdict.measurement().bitsPerSecond() / 1000.0,
                "requiredKbps", refused.requiredBitsPerSecond() / 1000.0));
    }

    /** After playback started in a {@code warn} room below its rate: the client is told, at level warning. */
    void warnIfBelow(BandwidthVerdict warning, int streamId) {
        if (warning != null) {
            ctx.writeAndFlush(Replies.onStatus(streamId, StatusCodes.LEVEL_WARNING, StatusCodes.PLAY_INSUFFICIENT_BW,
                    "Your connection may be too slow for this stream: " + warning.figures() + "."));
        }
    }

    /** The connection closed: the detection stops and a waiting play is dropped. */
    void close() {
        if (check != null) {
            check.cancel();
        }
        deferredPlay = null;
    }

    /** Starts the detection, sized for a room (or the default), unless it already ran. */
    private void start(String roomId) {
        if (check != null) {
            return;
        }
        var settings = registry.settings();
        int bytes = settings.probe().bytesFor(roomId == null ? settings.defaults() : registry.requirement(roomId));
        check = new BandwidthCheck(ctx, settings.probe(), registry.payload(), bytes, this::detected);
        check.start();
    }

    private void detected(Measurement measurement) {
        detected = measurement;
        log.info("{}: bandwidth detection: {} Mbit/s{} by {}, latency {} ms", remote(),
                String.format(Locale.ROOT, "%.2f", measurement.mbps()), measurement.complete() ? "" : " (timed out, upper bound)",
                measurement.method().label(), String.format(Locale.ROOT, "%.1f", measurement.latencyMillis()));
        CommandMessage play = deferredPlay;
        deferredPlay = null;
        if (play != null && ctx.channel().isActive()) {
            replayPlay.accept(play);
        }
    }

    private String remote() {
        return String.valueOf(ctx.channel().remoteAddress());
    }
}
