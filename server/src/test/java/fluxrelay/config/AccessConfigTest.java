package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code relay.access} and the rooms' {@code viewer-access}. */
class AccessConfigTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private static final String NEXT = "platform-secret-0123456789abcdef-0002";

    private static RelayConfig load(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return new ConfigLoader(() -> "generated-key-0123456789").from(config);
    }

    private static void assertMessage(String expected, String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void byDefaultEveryRoomIsOpenAndNoSecretIsNeeded() {
        RelayConfig config = load("");
        assertEquals(AccessConfig.Mode.OPEN, config.access().defaultAccess());
        assertEquals(List.of(), config.access().secrets());
        assertEquals("access", config.access().tokenParameter());
        assertEquals(100_000, config.access().maxRevocations());
        assertNull(config.demoRoom().viewerAccess());
    }

    @Test
    void roomsAndTheDemoRoomMayNeedTokensWithSeveralSecrets() {
        RelayConfig config = load("relay.access.secrets = [\"" + SECRET + "\", \"" + NEXT + "\"]\n"
                + "relay.rooms = [ { id = webinar, stream-name = \"webinar-key-0123456789\", viewer-access = token } ]\n"
                + "relay.demo-room.viewer-access = open");
        assertEquals(List.of(SECRET, NEXT), config.access().secrets());
        assertEquals(AccessConfig.Mode.TOKEN, config.rooms().get(0).viewerAccess());
        assertEquals(AccessConfig.Mode.OPEN, config.demoRoom().viewerAccess());
        assertFalse(config.access().toString().contains(SECRET), config.access().toString());
    }

    @Test
    void secretsMayComeAsOneCommaSeparatedString() {
        assertEquals(List.of(SECRET, NEXT), load("relay.access.secrets = \"" + SECRET + ", " + NEXT + "\"").access().secrets());
    }

    @Test
    void aTokenRoomWithoutSecretIsAnErrorNotARoomNobodyCanWatch() {
        assertMessage("room webinar: viewer-access = token needs at least one secret in relay.access.secrets",
                "relay.rooms = [ { id = webinar, stream-name = \"webinar-key-0123456789\", viewer-access = token } ]");
        assertMessage("relay.access.default: token needs at least one secret", "relay.access.default = token");
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("relay.access.secrets[0]: must be at least 32 characters", "relay.access.secrets = [short]");
        assertMessage("relay.access.token-parameter: must differ from relay.bandwidth.token-parameter",
                "relay.access.token-parameter = bwtoken");
        assertMessage("relay.access.token-parameter: must be 1 to 32", "relay.access.token-parameter = \"a b\"");
        assertMessage("relay.access.default", "relay.access.default = closed");
        assertMessage("relay.rooms[0].viewer-access", "relay.rooms = [ { id = w, stream-name = \"w-key-0123456789abcd\", "
                + "viewer-access = maybe } ]");
        assertMessage("relay.access.max-revocations", "relay.access.max-revocations = 0");
    }
}
