package fluxrelay.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.http.HlsBandwidth;
import fluxrelay.http.HlsRoute;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.metrics.HlsMetrics;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServices;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failure in one room's packaging stays in that room: rooms sharing its packaging thread go on, every room
 * can still publish, the failed room's HLS answers 503 with the reason until its stream starts again, and
 * readiness only drops when a packaging thread has really ended.
 */
class HlsPackagerFaultTest {

    private static final PackagerSettings SETTINGS = new PackagerSettings(Duration.ofSeconds(1), 6, 1 << 20, 1);

    /** One thread for all rooms: the failing room shares it with the others. */
    private final DefaultEventExecutorGroup threads = new DefaultEventExecutorGroup(1);
    private final AtomicInteger badWriters = new AtomicInteger();
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 2000));
    /** Room {@code bad}'s first TS writer throws an Error on its first video frame; every later writer works. */
    private final HlsPackager packager = new HlsPackager(SETTINGS, null, ByteBufAllocator.DEFAULT, System::currentTimeMillis,
            threads, feed -> feed.room().equals("bad") && badWriters.getAndIncrement() == 0
                    ? new FailingWriter(new TsWriter(ByteBufAllocator.DEFAULT)) : new TsWriter(ByteBufAllocator.DEFAULT));

    @AfterEach
    void close() {
        streams.close();
        packager.close();
    }

    private LiveStream attached(String room) {
        LiveStream stream = streams.stream(room, true);
        packager.attach(stream);
        return stream;
    }

    private HlsRoom hls(String room) {
        return packager.room(room).orElseThrow();
    }

    private boolean ended(String room) {
        return hls(room).playlists().map(p -> p.view().ended() && p.view().segments().size() >= 3).orElse(false);
    }

    @Test
    void aFailingRoomStopsAloneAndStartsAfreshWithItsNextPublish() throws Exception {
        LiveStream good = attached("good");
        LiveStream bad = attached("bad");

        ClipPublisher.publish(bad, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> hls("bad").failure().isPresent());
        String reason = hls("bad").failure().orElseThrow();
        assertTrue(reason.contains("Error") && reason.contains("starts again when the stream restarts"), reason);
        assertTrue(hls("bad").playlists().isEmpty(), "a failed room lists nothing");
        assertEquals(1, packager.failures());
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new HlsMetrics(packager, new HlsMetrics.Served(() -> 0, () -> 0, () -> 0)).bindTo(metrics);
        assertTrue(metrics.scrape().contains("\nfluxrelay_hls_failures_total 1.0\n"), metrics.scrape());

        // The room sharing the thread publishes and is packaged as if nothing happened.
        ClipPublisher.publish(good, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended("good"));
        assertTrue(packager.healthy(), "the packaging thread still runs work");
        assertEquals(7, threads.next().submit(() -> 7).get(5, TimeUnit.SECONDS));

        // Over HTTP: the failed room answers 503 with its reason, the other one its playlist.
        HlsRoute route = route("good", "bad");
        FullHttpResponse failed = get(route, "/hls/bad/index.m3u8");
        try {
            assertEquals(503, failed.status().code());
            assertEquals("{\"error\":\"" + reason + "\"}", failed.content().toString(StandardCharsets.UTF_8));
            assertEquals("no-cache", failed.headers().get("Cache-Control"));
            assertTrue(failed.headers().getInt("Retry-After") > 0);
        } finally {
            failed.release();
        }
        FullHttpResponse served = get(route, "/hls/good/stream.m3u8");
        try {
            assertEquals(200, served.status().code());
            assertTrue(served.content().toString(StandardCharsets.UTF_8).contains("#EXT-X-ENDLIST"));
        } finally {
            served.release();
        }

        // The failed room's next publish is packaged by a fresh packager.
        PublisherSlot again = ClipPublisher.claim(bad);
        await().atMost(Duration.ofSeconds(10)).until(() -> hls("bad").failure().isEmpty());
        ClipPublisher.send(again, SampleMedia.AV_720P);
        again.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> ended("bad"));
        assertEquals(1, packager.failures());
    }

    @Test
    void readinessDropsOnlyWhenAPackagingThreadHasEnded() {
        LiveStream room = attached("good");
        ClipPublisher.publish(room, SampleMedia.AV_720P);
        await().atMost(Duration.ofSeconds(10)).until(() -> ended("good"));
        assertTrue(packager.healthy());

        threads.next().execute(() -> {
            throw new Error("injected: the packaging thread ends");
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> !packager.healthy());

        // Rooms on the ended thread get no HLS, but their encoders can still publish.
        PublisherSlot slot = ClipPublisher.claim(room);
        ClipPublisher.send(slot, SampleMedia.AV_720P);
        assertTrue(slot.isCurrent());
        slot.close();
    }

    @Test
    void aClosedPackagerIsNotHealthy() {
        assertTrue(packager.healthy());
        packager.close();
        assertFalse(packager.healthy());
    }

    /** A drain ends even when a packaging thread never finishes its task: the close waits a bounded time. */
    @Test
    void closingEndsEvenWhenAPackagingThreadIsStuck() {
        attached("good");
        CountDownLatch stuck = new CountDownLatch(1);
        threads.next().execute(() -> {
            try {
                stuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(30), packager::close, "close hung on a stuck packaging thread");
            assertFalse(packager.healthy());
        } finally {
            stuck.countDown();
        }
    }

    /** The HLS route over rooms {@code ids}, with no bandwidth policy. */
    private HlsRoute route(String... ids) {
        InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(ids).stream()
                .map(id -> new Room(id, id, "live", id + "-key-0123456789", true)).toList());
        BandwidthRegistry bandwidth = new BandwidthRegistry(
                new BandwidthSettings(BandwidthRequirement.ofMbps(1, BandwidthPolicy.OFF), false,
                        new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                        new BandwidthSettings.Monitor(false, Duration.ofSeconds(1), Duration.ofSeconds(5), 0),
                        Duration.ofMinutes(2), "bwtoken", 20),
                Map.of(), ProbeTokens.randomSecret(), Clock.systemUTC());
        return new HlsRoute(TestServices.playback(rooms, streams, bandwidth, 10), packager,
                new HlsRoute.Caching(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                new HlsBandwidth(bandwidth, null, Duration.ofMinutes(1)));
    }

    private static FullHttpResponse get(HlsRoute route, String path) {
        EmbeddedChannel channel = new EmbeddedChannel(new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                assertTrue(route.handle(ctx, request, path));
            }
        });
        try {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
            return channel.readOutbound();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** A TS writer that throws an Error at the first video frame, as a packaging bug or exhausted memory would. */
    private record FailingWriter(TsWriter delegate) implements ContainerWriter {
        @Override
        public String extension() {
            return delegate.extension();
        }

        @Override
        public String contentType() {
            return delegate.contentType();
        }

        @Override
        public void configure(Tracks tracks) {
            delegate.configure(tracks);
        }

        @Override
        public void beginSegment(ByteBuf out) {
            delegate.beginSegment(out);
        }

        @Override
        public void writeVideo(VideoFrame frame, ByteBuf out) {
            throw new Error("injected: packaging bug");
        }

        @Override
        public void writeAudio(AudioFrame frame, ByteBuf out) {
            delegate.writeAudio(frame, out);
        }

        @Override
        public void endSegment(ByteBuf out) {
            delegate.endSegment(out);
        }

        @Override
        public void releaseBuffers() {
            delegate.releaseBuffers();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
