package fluxrelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fluxrelay.config.ConfigException;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.TransportChoice;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code relay.transport}: the server starts on each transport the machine has and relays a stream to an RTMP and an
 * HTTP-FLV viewer over it. On Linux, epoll and io_uring must be there: under CI a missing one fails the test
 * ({@link Requirements}), since the server would silently fall back to another.
 */
class TransportTest {

    @ParameterizedTest
    @EnumSource(value = TransportChoice.class, names = {"EPOLL", "IO_URING", "NIO"})
    void theServerRelaysOnEachTransport(TransportChoice choice) throws Exception {
        String name = choice.name().toLowerCase(Locale.ROOT);
        if (choice != TransportChoice.NIO) {
            Assumptions.assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux"),
                    name + " exists on Linux only");
            Requirements.require(Transport.available(choice), "the " + name + " transport does not load here");
        }
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P).stream()
                .filter(f -> !(f instanceof ScriptFrame))
                .toList();
        List<MediaFrame> sent = frames.stream().filter(f -> f.timestamp() <= 2000).toList();
        try (TestServer server = TestServer.start("relay.transport = " + name);
             RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
             RtmpTestClient publisher = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
             HttpFlvTestClient flv = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"))) {
            assertEquals(name, server.server().transport());
            viewer.play("demo");
            int stream = publisher.publish(TestServer.KEY);
            publisher.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            for (MediaFrame frame : sent) {
                publisher.sendMedia(stream, frame instanceof VideoFrame ? 9 : 8, frame.timestamp(), frame.payload().retain());
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> viewer.received().stream()
                    .filter(r -> r.isAudio() || r.isVideo()).count() >= sent.size());
            await().atMost(Duration.ofSeconds(20)).until(() -> flv.media().size() >= sent.size());
            List<Integer> sizes = sent.stream().map(MediaFrame::size).toList();
            assertEquals(sizes, viewer.received().stream().filter(r -> r.isAudio() || r.isVideo())
                    .map(RtmpTestClient.Received::size).toList(), "RTMP viewer over " + name);
            assertEquals(sizes, flv.media().stream().map(HttpFlvTestClient.Tag::size).toList(), "HTTP-FLV viewer over " + name);
            // The server first (closing twice is harmless): its close ends the HTTP-FLV response the client reads.
            server.close();
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    @Test
    void autoIsTheDefaultAndAnUnknownTransportIsRefused() {
        assertEquals(TransportChoice.AUTO, load("").transport());
        assertEquals(TransportChoice.IO_URING, load("relay.transport = io_uring").transport());
        ConfigException bad = assertThrows(ConfigException.class, () -> load("relay.transport = kqueue"));
        assertTrue(bad.getMessage().startsWith("relay.transport: must be auto, epoll, io_uring or nio"), bad.getMessage());
    }

    private static fluxrelay.config.RelayConfig load(String hocon) {
        return new ConfigLoader().from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
