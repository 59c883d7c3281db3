package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** {@code relay.rtmp.partial-messages}: documented defaults, and every refusal names its key. */
class PartialMessagesConfigTest {

    private static PartialMessagesConfig load(String hocon) {
        return new ConfigLoader(() -> "generated-key-0123456789")
                .from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve())
                .rtmp().partialMessages();
    }

    private static void refused(String key, String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
        assertTrue(e.getMessage().startsWith("relay.rtmp.partial-messages." + key), e.getMessage());
    }

    @Test
    void defaults() {
        assertEquals(new PartialMessagesConfig(256 * 1024, 32 * 1024 * 1024, 0.25, 0.25), load(""));
    }

    @Test
    void overrides() {
        PartialMessagesConfig c = load("relay.rtmp.partial-messages { per-connection-before-publish = 64KiB,"
                + " per-connection-publishing = 20MiB, server-share-of-direct-memory = 0.5, before-publish-share = 0.1 }");
        assertEquals(new PartialMessagesConfig(64 * 1024, 20 * 1024 * 1024, 0.5, 0.1), c);
    }

    @Test
    void inconsistentBudgetsAreRefused() {
        refused("per-connection-before-publish", "relay.rtmp.partial-messages.per-connection-before-publish = 1KiB");
        refused("per-connection-publishing", "relay.rtmp.partial-messages.per-connection-publishing = 8MiB");
        refused("per-connection-publishing", "relay.rtmp { max-message-length = 1MiB, partial-messages {"
                + " per-connection-before-publish = 2MiB, per-connection-publishing = 1MiB } }");
        refused("server-share-of-direct-memory", "relay.rtmp.partial-messages.server-share-of-direct-memory = 0");
        refused("server-share-of-direct-memory", "relay.rtmp.partial-messages.server-share-of-direct-memory = 1.5");
        refused("before-publish-share", "relay.rtmp.partial-messages.before-publish-share = 1");
    }
}
