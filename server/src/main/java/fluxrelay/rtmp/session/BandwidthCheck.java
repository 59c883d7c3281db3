package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.ProbePayload;
import fluxrelay.egress.DeliveryClock;
import fluxrelay.netty.LoopHandover;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.command.BandwidthCalls;
import fluxrelay.rtmp.message.ChunkStreamIds;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FMS-style native bandwidth detection on one connection, run at most once: an empty {@code onBWCheck}
 * for latency, a warm-up burst that opens the congestion window, then bursts of growing payload timed
 * together, and {@code onBWDone} with kbit/s down, kbit delivered, seconds and latency in ms.
 *
 * <p>Delivery is timed by the server's clock on the best evidence the connection offers: the kernel's TCP
 * acknowledgements on epoll (every client, including ffmpeg, which never answers {@code onBWCheck}); else
 * the client's {@code _result} replies (librtmp: OBS, rtmpdump); else, for a silent client without kernel
 * figures, only write completion. The timed part is the main bursts, from the warm-up's delivery to the
 * last burst's, less one unloaded round trip. Runs on the connection's event loop.
 */
final class BandwidthCheck {

    private static final Logger log = LoggerFactory.getLogger(BandwidthCheck.class);
    private static final long REPLY_WAIT_MS = 1000;
    private static final int MAX_BURST = 256 * 1024;

    private enum Phase { IDLE, PING, WARM_UP, MAIN, DONE }

    private final ChannelHandlerContext ctx;
    private final BandwidthSettings.Probe probe;
    private final ProbePayload payload;
    private final int mainBytes;
    private final int warmUpBytes;
    private final DeliveryClock clock;
    private final Consumer<Measurement> done;
    private Phase phase = Phase.IDLE;
    private MeasurementMethod method;
    private int nextTx = 1;
    private int awaitedTx = -1;
    private int stage;
    private long startNanos;
    private long pingSentNanos;
    private long latencyMicros = -1;
    private long phaseStartNanos;
    private long timedStartNanos;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> deadline;

    /**
     * @param mainBytes payload of the timed bursts (the room's required rate over the probe duration)
     * @param done called once with the result, on the event loop
     */
    BandwidthCheck(ChannelHandlerContext ctx, BandwidthSettings.Probe probe, ProbePayload payload, int mainBytes,
                   Consumer<Measurement> done) {
        this.ctx = ctx;
        this.probe = probe;
        this.payload = payload;
        this.mainBytes = Math.min(mainBytes, payload.size());
        this.warmUpBytes = Math.max(16 * 1024, Math.min(128 * 1024, this.mainBytes / 8));
        this.clock = new DeliveryClock(ctx.channel());
        this.done = done;
    }

    boolean started() {
        return phase != Phase.IDLE;
    }

    boolean running() {
        return phase != Phase.IDLE && phase != Phase.DONE;
    }

    void start() {
        if (phase != Phase.IDLE) {
            return;
        }
        phase = Phase.PING;
        startNanos = System.nanoTime();
        // Timers follow the connection should it move to a worker loop meanwhile (a play admitted during the check).
        deadline = ctx.executor().schedule(LoopHandover.onChannelLoop(ctx.channel(), this::timedOut),
                probe.timeout().toNanos(), TimeUnit.NANOSECONDS);
        int tx = nextTx++;
        pingSentNanos = System.nanoTime();
        ChannelFuture written = ctx.writeAndFlush(onBwCheck(tx, null));
        int myStage = ++stage;
        awaitedTx = tx;
        if (clock.kernelEvidence()) {
            method = MeasurementMethod.TCP_ACKS;
            clock.whenDelivered(written, at -> {
                if (stage == myStage && phase == Phase.PING) {
                    latencyMicros = clock.rttMicros();
                    warmUp();
                }
            });
        } else {
            // No kernel figures: a client that answers within a second is timed by its replies.
            timer = ctx.executor().schedule(LoopHandover.onChannelLoop(ctx.channel(), () -> {
                if (stage == myStage && phase == Phase.PING) {
                    method = MeasurementMethod.WRITE_COMPLETION;
                    warmUp();
                }
            }), REPLY_WAIT_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** A {@code _result} from the client; true when it answered one of this check's calls. */
    boolean onReply(double tx) {
        if (phase == Phase.IDLE || tx <= 0 || tx >= nextTx) {
            return false;
        }
        if ((int) tx == awaitedTx && awaitedTx > 0) {
            long now = System.nanoTime();
            awaitedTx = -1;
            if (phase == Phase.PING && method == null) {
                method = MeasurementMethod.CLIENT_REPLIES;
                latencyMicros = (now - pingSentNanos) / 1000;
                cancelTimer();
                warmUp();
            } else if (method == MeasurementMethod.CLIENT_REPLIES) {
                stageDelivered(stage, now);
            }
        }
        return true;
    }

    private void warmUp() {
        phase = Phase.WARM_UP;
        phaseStartNanos = System.nanoTime();
        ChannelFuture last = send(warmUpBytes, 0, warmUpBytes);
        await(last);
    }

    private void main(long warmUpDeliveredNanos) {
        phase = Phase.MAIN;
        timedStartNanos = warmUpDeliveredNanos;
        phaseStartNanos = System.nanoTime();
        // Growing bursts: 1, 2, 4, 8... parts of the payload, the last one taking what is left.
        int sent = 0;
        int burst = Math.max(4096, mainBytes / 15);
        ChannelFuture last = null;
        while (sent < mainBytes) {
            int size = Math.min(Math.min(burst, MAX_BURST), mainBytes - sent);
            last = send(size, warmUpBytes + sent, 0);
            sent += size;
            burst *= 2;
        }
        ctx.flush();
        await(last);
    }

    /** Writes one onBWCheck with {@code size} payload bytes; flushes when {@code flushNow} is positive. */
    private ChannelFuture send(int size, int offset, int flushNow) {
        int tx = nextTx++;
        awaitedTx = tx;
        int from = offset % Math.max(1, payload.size() - size + 1);
        var message = onBwCheck(tx, payload.text(from, size));
        return flushNow > 0 ? ctx.writeAndFlush(message) : ctx.write(message);
    }

    private void await(ChannelFuture last) {
        int myStage = ++stage;
        switch (method) {
            case TCP_ACKS -> clock.whenDelivered(last, at -> stageDelivered(myStage, at));
            case WRITE_COMPLETION -> last.addListener(f -> {
                if (f.isSuccess()) {
                    stageDelivered(myStage, System.nanoTime());
                }
            });
            default -> { } // CLIENT_REPLIES: onReply completes the stage
        }
    }

    private void stageDelivered(int ofStage, long atNanos) {
        if (ofStage != stage) {
            return;
        }
        if (phase == Phase.WARM_UP) {
            main(atNanos);
        } else if (phase == Phase.MAIN) {
            long elapsed = atNanos - timedStartNanos;
            long latencyNanos = method == MeasurementMethod.WRITE_COMPLETION || latencyMicros < 0 ? 0 : latencyMicros * 1000;
            long nanos = Math.max(elapsed / 2, elapsed - latencyNanos);
            finish(new Measurement(Measurement.rate(mainBytes, nanos), mainBytes, nanos, latencyMicros, method, true));
        }
    }

    private void timedOut() {
        if (phase == Phase.DONE) {
            return;
        }
        long now = System.nanoTime();
        // Not delivered in time: the payload of the current phase over the time so far is an upper bound.
        long bytes = phase == Phase.MAIN ? mainBytes : warmUpBytes;
        long nanos = now - (phase == Phase.MAIN ? timedStartNanos : phaseStartNanos == 0 ? startNanos : phaseStartNanos);
        log.info("{}: bandwidth detection timed out in phase {}", ctx.channel().remoteAddress(), phase);
        finish(new Measurement(Measurement.rate(bytes, nanos), bytes, nanos, latencyMicros,
                method == null ? MeasurementMethod.WRITE_COMPLETION : method, false));
    }

    private void finish(Measurement measurement) {
        phase = Phase.DONE;
        cancel();
        double seconds = measurement.nanos() / 1e9;
        double kbit = measurement.bytes() * 8 / 1000.0;
        ctx.writeAndFlush(BandwidthCalls.onBwDone(Math.round(measurement.bitsPerSecond() / 1000.0), kbit, seconds,
                Math.max(0, Math.round(measurement.latencyMillis()))));
        log.debug("{}: bandwidth detection: {} kbit/s ({} bytes in {} s, latency {} ms, {})", ctx.channel().remoteAddress(),
                measurement.bitsPerSecond() / 1000, measurement.bytes(), seconds, measurement.latencyMillis(),
                measurement.method().label());
        done.accept(measurement);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Stops the detection (the connection closed); nothing is reported. */
    void cancel() {
        cancelTimer();
        clock.cancel();
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
        stage++;
        if (phase != Phase.DONE) {
            phase = Phase.DONE;
        }
    }

    /** An {@code onBWCheck} call as a pre-encoded command message; the chunk encoder releases its body. */
    private RawMessage onBwCheck(double tx, ByteBuf payload) {
        return new RawMessage(ChunkStreamIds.COMMAND, MessageTypes.COMMAND_AMF0, 0, 0, BandwidthCalls.onBwCheckBody(ctx.alloc(), tx,
                payload));
    }
}
