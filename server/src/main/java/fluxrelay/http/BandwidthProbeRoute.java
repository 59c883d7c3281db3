package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.VerdictSource;
import fluxrelay.egress.DeliveryClock;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP bandwidth probe for browser viewers.
 *
 * <p>{@code GET /bwcheck/{room-id}} answers {@code application/octet-stream}: random bytes sized to the room's
 * required rate (a warm-up part, then the timed part), and in header {@code X-Bandwidth-Result} the URL of
 * its verdict. The server times delivery on its own clock: on epoll, until the client's TCP acknowledged the
 * last byte; elsewhere, until the last byte was written into the socket. {@code GET
 * /bwcheck/{room-id}/result/{probe-id}} answers the JSON verdict (waiting for the probe to finish): measured
 * and required Mbit/s, latency, verdict, and a short-lived signed token that a playback URL of a room under
 * {@code enforce} requires.
 */
public final class BandwidthProbeRoute implements HttpRoute {

    /** The path prefix. */
    public static final String PREFIX = "/bwcheck/";

    private static final Logger log = LoggerFactory.getLogger(BandwidthProbeRoute.class);
    private static final int PIECE = 64 * 1024;
    private static final int MAX_STORED_RESULTS = 4096;

    private final RoomRegistry rooms;
    private final BandwidthRegistry bandwidth;
    private final ProbeResults results;
    private final SecureRandom random = new SecureRandom();

    public BandwidthProbeRoute(RoomRegistry rooms, BandwidthRegistry bandwidth) {
        this.rooms = rooms;
        this.bandwidth = bandwidth;
        long keep = bandwidth.settings().probe().timeout().toNanos() + TimeUnit.MINUTES.toNanos(2);
        this.results = new ProbeResults(MAX_STORED_RESULTS, keep);
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        boolean probe = parts.length == 1;
        boolean result = parts.length == 3 && parts[1].equals("result");
        if (!probe && !result) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.");
            return true;
        }
        Room room = rooms.findById(parts[0]).orElse(null);
        if (room == null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room.");
        } else if (probe) {
            startProbe(ctx, request, room);
        } else {
            sendResult(ctx, request, room, parts[2]);
        }
        return true;
    }

    private void startProbe(ChannelHandlerContext ctx, FullHttpRequest request, Room room) {
        if (!bandwidth.tryStartProbe()) {
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "Too many bandwidth probes running; retry shortly.");
            return;
        }
        byte[] idBytes = new byte[12];
        random.nextBytes(idBytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        ProbeResults.Entry entry = results.open(id, room.id());
        if (entry == null) {
            bandwidth.probeDone();
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "Too many bandwidth probes pending; retry shortly.");
            return;
        }
        BandwidthRequirement requirement = bandwidth.requirement(room.id());
        int timed = bandwidth.settings().probe().bytesFor(requirement);
        int warmUp = Math.max(16 * 1024, Math.min(128 * 1024, timed / 8));
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, warmUp + timed);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store, no-transform");
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "X-Bandwidth-Result");
        response.headers().set("X-Bandwidth-Result", PREFIX + room.id() + "/result/" + id);
        HttpUtil.setKeepAlive(response, HttpUtil.isKeepAlive(request));
        new Run(ctx, room, requirement, entry, warmUp, timed, HttpUtil.isKeepAlive(request)).start(response);
    }

    private void sendResult(ChannelHandlerContext ctx, FullHttpRequest request, Room room, String id) {
        ProbeResults.Entry entry = results.find(id, room.id());
        if (entry == null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such probe (unknown or expired).");
            return;
        }
        request.retain();
        entry.json().whenComplete((json, error) -> ctx.executor().execute(() -> {
            try {
                if (json == null) {
                    HttpResponses.error(ctx, request, HttpResponseStatus.GONE, "The probe did not complete: its connection closed.");
                } else {
                    HttpResponses.json(ctx, request, HttpResponseStatus.OK, json);
                }
            } finally {
                request.release();
            }
        }));
    }

    /** One probe on one connection: writes, times, judges, stores the result. Runs on the connection's loop. */
    private final class Run {
        private final ChannelHandlerContext ctx;
        private final Room room;
        private final BandwidthRequirement requirement;
        private final ProbeResults.Entry entry;
        private final int warmUp;
        private final int timed;
        private final boolean keepAlive;
        private final DeliveryClock clock;
        private long latencyMicros = -1;
        private long timedStartNanos;
        private long startNanos;
        private boolean finished;

        Run(ChannelHandlerContext ctx, Room room, BandwidthRequirement requirement, ProbeResults.Entry entry, int warmUp,
            int timed, boolean keepAlive) {
            this.ctx = ctx;
            this.room = room;
            this.requirement = requirement;
            this.entry = entry;
            this.warmUp = warmUp;
            this.timed = timed;
            this.keepAlive = keepAlive;
            this.clock = new DeliveryClock(ctx.channel());
        }

        void start(HttpResponse response) {
            startNanos = System.nanoTime();
            // The handshake and request gave the kernel an unloaded round trip: the latency the timing excludes.
            latencyMicros = clock.rttMicros();
            ctx.channel().closeFuture().addListener(f -> ctx.executor().execute(() -> fail("connection closed")));
            ctx.executor().schedule(this::timedOut, bandwidth.settings().probe().timeout().toNanos(), TimeUnit.NANOSECONDS);
            ctx.write(response);
            ChannelFuture last = writeBytes(0, warmUp);
            ctx.flush();
            clock.whenDelivered(last, this::warmedUp);
        }

        private ChannelFuture writeBytes(int offset, int length) {
            ChannelFuture last = null;
            int size = bandwidth.payload().size();
            for (int done = 0; done < length; done += PIECE) {
                int piece = Math.min(PIECE, length - done);
                int from = (offset + done) % Math.max(1, size - piece + 1);
                last = ctx.write(new DefaultHttpContent(bandwidth.payload().binary(from, piece)));
            }
            return last;
        }

        private void warmedUp(long atNanos) {
            if (finished) {
                return;
            }
            timedStartNanos = atNanos;
            writeBytes(warmUp, timed);
            ChannelFuture last = ctx.write(LastHttpContent.EMPTY_LAST_CONTENT);
            ctx.flush();
            clock.whenDelivered(last, this::delivered);
        }

        private void delivered(long atNanos) {
            if (finished) {
                return;
            }
            long elapsed = atNanos - timedStartNanos;
            boolean kernel = clock.kernelEvidence();
            long latencyNanos = kernel && latencyMicros > 0 ? latencyMicros * 1000 : 0;
            long nanos = Math.max(elapsed / 2, elapsed - latencyNanos);
            finish(new Measurement(Measurement.rate(timed, nanos), timed, nanos, latencyMicros,
                    kernel ? MeasurementMethod.TCP_ACKS : MeasurementMethod.WRITE_COMPLETION, true, (long) warmUp + timed));
            if (!keepAlive) {
                ctx.close();
            }
        }

        private void timedOut() {
            if (finished) {
                return;
            }
            long now = System.nanoTime();
            long bytes = timedStartNanos == 0 ? warmUp : timed;
            long nanos = now - (timedStartNanos == 0 ? startNanos : timedStartNanos);
            // Not delivered in time: the rate is at most this. The response cannot complete usefully: close.
            long sent = timedStartNanos == 0 ? warmUp : (long) warmUp + timed;
            finish(new Measurement(Measurement.rate(bytes, nanos), bytes, nanos, latencyMicros,
                    clock.kernelEvidence() ? MeasurementMethod.TCP_ACKS : MeasurementMethod.WRITE_COMPLETION, false, sent));
            ctx.close();
        }

        private void fail(String why) {
            if (!finished) {
                finished = true;
                clock.cancel();
                bandwidth.probeDone();
                entry.json().complete(null);
                log.debug("{}: bandwidth probe of room {} abandoned: {}", ctx.channel().remoteAddress(), room.id(), why);
            }
        }

        private void finish(Measurement measurement) {
            finished = true;
            clock.cancel();
            bandwidth.probeDone();
            String viewer = String.valueOf(ctx.channel().remoteAddress());
            BandwidthVerdict verdict = BandwidthVerdict.judge(bandwidth.clock().instant(), room.id(), viewer,
                    VerdictSource.HTTP_PROBE, measurement, requirement);
            bandwidth.room(room.id()).record(verdict);
            String token = bandwidth.tokens().issue(room.id(), measurement.complete() ? measurement.bitsPerSecond() : 0,
                    measurement.method());
            log.info("{}: bandwidth probe of room {}: {} ({}, by {}, {} bytes sent, {} timed, latency {} ms)", viewer,
                    room.id(), verdict.label(), verdict.figures(), measurement.method().label(), measurement.sentBytes(),
                    measurement.bytes(),
                    String.format(java.util.Locale.ROOT, "%.1f", measurement.latencyMillis()));
            entry.json().complete(ProbeJson.of(verdict, requirement, token, bandwidth.settings()));
        }
    }
}
