package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's {@code renditions}: stream names bound as renditions of its program. */
class RoomConfigsTest {

    private static RelayConfig load(String hocon) {
        return new ConfigLoader(() -> "generated-key-0123456789")
                .from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static final String ROOM = "relay.rooms = [ { id = gala, stream-name = \"gala-main-key-0123\", ";

    @Test
    void renditionsAreReadInOrder() {
        RoomConfig gala = load(ROOM + "renditions = [ { id = 480p, stream-name = \"gala-480-key-0123\" },"
                + " { id = 240p, stream-name = \"gala-240-key-0123\" } ] } ]")
                .rooms().stream().filter(r -> r.id().equals("gala")).findFirst().orElseThrow();
        assertEquals(List.of(new RenditionInputConfig("480p", "gala-480-key-0123"),
                new RenditionInputConfig("240p", "gala-240-key-0123")), gala.renditions());
    }

    @Test
    void aRoomWithoutRenditionsHasNone() {
        assertTrue(load(ROOM + "} ]").rooms().stream().allMatch(r -> r.renditions().isEmpty()));
    }

    @Test
    void badRenditionsStopTheStart() {
        assertEquals("relay.rooms[0].renditions[0].id: '480P' must be 1 to 32 lower-case letters, digits or '-', starting "
                + "with a letter or digit (for example 480p)", assertThrows(ConfigException.class, () -> load(ROOM
                + "renditions = [ { id = 480P, stream-name = \"gala-480-key-0123\" } ] } ]")).getMessage());
        assertEquals("relay.rooms[0].renditions[1].id: rendition id '480p' is declared twice in the room",
                assertThrows(ConfigException.class, () -> load(ROOM + "renditions = [ { id = 480p, stream-name = "
                        + "\"gala-480-key-0123\" }, { id = 480p, stream-name = \"gala-481-key-0123\" } ] } ]")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load(ROOM + "renditions = [ { id = 480p, stream-name = "
                + "\"gala-main-key-0123\" } ] } ]")).getMessage().contains("(rendition '480p') reuses the stream name"));
        assertTrue(assertThrows(ConfigException.class, () -> load(ROOM + "renditions = [ { id = 480p, stream-name = "
                + "\"gala-480-key-0123\", bitrate = 3 } ] } ]")).getMessage().contains("relay.rooms[0].renditions[0].bitrate"));
    }

    @Test
    void aLadderIsReadWithItsDefaultsAndTheServerKeys() {
        RelayConfig config = load(ROOM + "ladder = [ { id = 540p, height = 540, video-kbps = 1800, audio-kbps = 128 },"
                + " { id = 360p, height = 360, video-kbps = 800 } ] } ]\n"
                + "relay.ladder { ffmpeg = /opt/ffmpeg/bin/ffmpeg, max-processes = 2, restart-backoff { min = 500ms, max = 20s } }");
        RoomConfig gala = config.rooms().stream().filter(r -> r.id().equals("gala")).findFirst().orElseThrow();
        assertEquals(List.of(new LadderRungConfig("540p", 540, 1800, 128), new LadderRungConfig("360p", 360, 800, 96)),
                gala.ladder());
        assertEquals(new LadderConfig("/opt/ffmpeg/bin/ffmpeg", 2, java.time.Duration.ofMillis(500),
                java.time.Duration.ofSeconds(20), "veryfast"), config.ladder());
        assertEquals(LadderConfig.DEFAULTS, load(ROOM + "} ]").ladder(), "reference.conf and DEFAULTS agree");
        assertTrue(load(ROOM + "} ]").rooms().stream().allMatch(r -> r.ladder().isEmpty()));
    }

    @Test
    void badLaddersStopTheStart() {
        assertEquals("relay.rooms[0].ladder[0].height: must be even (H.264 4:2:0 pictures have even sizes), got 361",
                assertThrows(ConfigException.class, () -> load(ROOM + "ladder = [ { id = 360p, height = 361, video-kbps = 800 } ] } ]"))
                        .getMessage());
        assertEquals("relay.rooms[0].ladder[0].height: missing", assertThrows(ConfigException.class,
                () -> load(ROOM + "ladder = [ { id = 360p, video-kbps = 800 } ] } ]")).getMessage());
        assertEquals("relay.rooms[0].ladder[1].id: rendition id '360p' is declared twice in the room's ladder",
                assertThrows(ConfigException.class, () -> load(ROOM + "ladder = [ { id = 360p, height = 360, video-kbps = 800 },"
                        + " { id = 360p, height = 240, video-kbps = 400 } ] } ]")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load(ROOM + "ladder = [ { id = 360P, height = 360, video-kbps = 800 } ] } ]"))
                .getMessage().startsWith("relay.rooms[0].ladder[0].id: '360P' must be"));
        assertEquals("relay.rooms[0].ladder[0].video-kbps: must be between 50 and 50000, got 10",
                assertThrows(ConfigException.class, () -> load(ROOM + "ladder = [ { id = 360p, height = 360, video-kbps = 10 } ] } ]"))
                        .getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load(ROOM + "renditions = [ { id = 360p, stream-name = "
                + "\"gala-360-key-0123\" } ], ladder = [ { id = 360p, height = 360, video-kbps = 800 } ] } ]"))
                .getMessage().contains("ladder rung '360p' has the id of one of its renditions"));
        assertTrue(assertThrows(ConfigException.class, () -> load(ROOM + "ladder = [ { id = 360p, height = 360, video-kbps = 800,"
                + " fps = 30 } ] } ]")).getMessage().contains("relay.rooms[0].ladder[0].fps: unknown key"));
        assertEquals("relay.ladder.restart-backoff.max: must not be below restart-backoff.min (PT10S), got PT1S",
                assertThrows(ConfigException.class, () -> load("relay.ladder.restart-backoff { min = 10s, max = 1s }"))
                        .getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.ladder.preset = placebo")).getMessage()
                .startsWith("relay.ladder.preset"));
    }
}
