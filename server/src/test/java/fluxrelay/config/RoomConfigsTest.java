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
}
