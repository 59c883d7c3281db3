package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One stream name rule for every source of a key: at least 16 characters, the URL-safe syntax, and never a room id
 * (viewers play rooms by id, so such a key would be public). Here the rule itself and the config file's keys.
 */
class StreamNameRuleTest {

    private static RelayConfig load(String hocon) {
        return new ConfigLoader(() -> "generated-key-0123456789")
                .from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static String refused(String hocon) {
        return assertThrows(ConfigException.class, () -> load(hocon)).getMessage();
    }

    @Test
    void theRuleAcceptsSixteenPrintableCharactersAndNoRoomId() {
        assertNull(StreamNames.problem("k".repeat(16)));
        assertTrue(StreamNames.problem("k".repeat(15)).contains("at least 16 characters"));
        assertTrue(StreamNames.problem("k").contains("at least 16 characters"));
        assertTrue(StreamNames.problem("").contains("required"));
        assertTrue(StreamNames.problem("k".repeat(257)).contains("at most 256"));
        assertTrue(StreamNames.problem("key with a space inside").contains("without spaces"));
        assertTrue(StreamNames.problem("key-0123456789/abcdef").contains("'/'"));
        assertNull(StreamNames.problem("keynote-0123456789", List.of("demo", "lobby")));
        assertTrue(StreamNames.problem("keynote-0123456789", List.of("demo", "keynote-0123456789")).contains("room id"));
        assertTrue(StreamNames.isValid(StreamNames.generate()));
    }

    @Test
    void aShortKeyIsRefusedWhereverTheConfigGivesIt() {
        assertEquals("relay.rooms[0].stream-name: a stream name must be at least 16 characters so it cannot be guessed, got 1",
                refused("relay.rooms = [ { id = a, stream-name = k } ]"));
        assertTrue(refused("relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = main-key-0123456789 },"
                + " { id = backup, stream-name = backup } ] } ]")
                .startsWith("relay.rooms[0].inputs[1].stream-name: a stream name must be at least 16 characters"));
        assertTrue(refused("relay.demo-room.stream-name = my-key")
                .startsWith("relay.demo-room.stream-name: a stream name must be at least 16 characters"));
        assertEquals(1, load("relay.demo-room.stream-name = \"" + "k".repeat(16) + "\"").rooms().size(), "16 is enough");
    }

    @Test
    void aKeyEqualToAnyRoomIdIsRefused() {
        assertTrue(refused("relay.rooms = [ { id = keynote-0123456789ab, stream-name = keynote-0123456789ab } ]")
                .startsWith("relay.rooms[0].stream-name: a stream name must not equal a room id"), "its own room's id");
        assertTrue(refused("relay.rooms = [ { id = keynote-0123456789ab, stream-name = keynote-key-0123456789 },"
                + " { id = lobby, inputs = [ { id = main, stream-name = lobby-key-0123456789 },"
                + " { id = backup, stream-name = keynote-0123456789ab } ] } ]")
                .startsWith("relay.rooms[1].inputs[1].stream-name: a stream name must not equal a room id"), "another room's id");
        assertTrue(refused("relay.demo-room.stream-name = keynote-0123456789ab\n"
                + "relay.rooms = [ { id = keynote-0123456789ab, stream-name = keynote-key-0123456789 } ]")
                .startsWith("relay.demo-room.stream-name: a stream name must not equal a room id"), "the demo room's key");
        assertTrue(refused("relay.demo-room { id = demo-room-0123456789, stream-name = demo-room-0123456789 }")
                .startsWith("relay.demo-room.stream-name: a stream name must not equal a room id"), "the demo room's own id");
    }
}
