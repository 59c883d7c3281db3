package fluxrelay.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.config.RenditionInputConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rendition stream names read from the rooms as they are now: a change to a room applies to the next publish. */
class RenditionInputsTest {

    private static PublishDecision decide(PublishAuthorizer authorizer, String app, String key) {
        return authorizer.decideNow(new PublishRequest(app, key, Map.of(), new InetSocketAddress("127.0.0.1", 1)));
    }

    @Test
    void aRenditionBoundLaterPublishesInItsRoomsAppOnlyAndAnUnboundOneIsRefused() {
        InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("gala", "Gala", "live", "gala-key-0123456789", true),
                new Room("talk", "Talk", "other", "talk-key-0123456789", true)));
        RenditionInputs renditions = RenditionInputs.of(rooms);
        PublishAuthorizer authorizer = new PublishAuthorizer(rooms, renditions);
        assertEquals(Optional.empty(), renditions.find("gala-480p-0123456789"));
        assertInstanceOf(PublishDecision.Denied.class, decide(authorizer, "live", "gala-480p-0123456789"));

        rooms.put(rooms.findById("gala").orElseThrow().withRenditions(List.of(new RenditionInputConfig("480p", "gala-480p-0123456789"))));
        assertEquals(List.of("480p"), renditions.of("gala"));
        PublishDecision allowed = decide(authorizer, "live", "gala-480p-0123456789");
        assertTrue(allowed instanceof PublishDecision.Allowed a && a.feed().role().equals(Feed.ROLE_RENDITION)
                && a.feed().id().equals("480p") && a.room().id().equals("gala"), allowed.toString());
        PublishDecision wrongApp = decide(authorizer, "other", "gala-480p-0123456789");
        assertTrue(wrongApp instanceof PublishDecision.Denied d && d.reason().equals("wrong_app"), wrongApp.toString());

        rooms.put(rooms.findById("gala").orElseThrow().withRenditions(List.of()));
        assertEquals(List.of(), renditions.of("gala"));
        assertInstanceOf(PublishDecision.Denied.class, decide(authorizer, "live", "gala-480p-0123456789"));
    }
}
