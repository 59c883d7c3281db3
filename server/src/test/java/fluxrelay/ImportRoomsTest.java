package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fluxrelay.cluster.RedisLink;
import fluxrelay.cluster.RedisRoomStore;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.RelayConfig;
import fluxrelay.testing.RedisServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --import-rooms}: the configuration's rooms go into Redis once; rooms Redis already holds stay as they are. */
class ImportRoomsTest {

    @Test
    void importsMissingRoomsAndLeavesExistingOnes(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            RelayConfig config = new ConfigLoader().from(ConfigFactory.parseString(
                    "relay.cluster { enabled = true, node-id = importer, redis-uri = \"" + redis.uri() + "\", "
                            + "secret = \"0123456789abcdef0123456789abcdef\" }\n"
                            + "relay.rooms = [ { id = keynote, title = Keynote, stream-name = keynote-key-0123456789, required-mbps = 3 },"
                            + " { id = hall, stream-name = hall-key-0123456789abc } ]")
                    .withFallback(ConfigFactory.defaultReference()).resolve());
            try (RedisLink link = new RedisLink(config.cluster())) {
                assertTrue(link.start());
                link.call(c -> c.hset(RedisRoomStore.ROOMS, "hall", "{\"id\":\"hall\",\"title\":\"Kept\",\"app\":\"live\","
                        + "\"inputs\":[{\"id\":\"main\",\"streamName\":\"other-key-0123456789\"}],\"autoLive\":true}")).get(5, TimeUnit.SECONDS);

                assertEquals(0, RelayServer.importRooms(config));
                Map<String, String> stored = link.call(c -> c.hgetall(RedisRoomStore.ROOMS)).get(5, TimeUnit.SECONDS);
                assertEquals(2, stored.size(), "the demo room is not imported: " + stored.keySet());
                assertTrue(stored.get("keynote").contains("\"title\":\"Keynote\""), stored.get("keynote"));
                assertTrue(stored.get("keynote").contains("\"requiredMbps\":3.0"), stored.get("keynote"));
                assertTrue(stored.get("hall").contains("\"title\":\"Kept\""), "an existing room is left unchanged");

                assertEquals(0, RelayServer.importRooms(config));
                assertEquals(stored, link.call(c -> c.hgetall(RedisRoomStore.ROOMS)).get(5, TimeUnit.SECONDS), "a second run changes nothing");
            }
            redis.stop();
            assertEquals(1, RelayServer.importRooms(config(redis)), "Redis unreachable");
        }
    }

    private static RelayConfig config(RedisServer redis) {
        return new ConfigLoader().from(ConfigFactory.parseString("relay.cluster { enabled = true, node-id = importer, redis-uri = \""
                + redis.uri() + "\", secret = \"0123456789abcdef0123456789abcdef\", heartbeat-interval = 200ms, lease-ttl = 1s }")
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }
}
