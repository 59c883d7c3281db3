package fluxrelay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.access.AccessCheck;
import fluxrelay.access.AccessPolicy;
import fluxrelay.access.AccessRefusal;
import fluxrelay.access.AccessTokens;
import fluxrelay.access.Revocations;
import fluxrelay.access.ViewerAccess;
import fluxrelay.admin.AccessAdmin;
import fluxrelay.admin.AdminException;
import fluxrelay.cluster.RedisLink;
import fluxrelay.cluster.RedisRevocations;
import fluxrelay.config.ClusterConfig;
import fluxrelay.testing.RedisServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attendee revocations shared by the nodes of a cluster through a real redis-server: revoked through node A's admin,
 * a viewer's token is refused on node B within a second (and B's viewers of that attendee are told to go); a node
 * started afterwards knows the revocation; the key expires with the attendee's last token; lifted on B, it is lifted
 * everywhere; with Redis down a revocation answers 503 and changes nothing.
 */
class ClusterRevocationsTest {

    private static final String SECRET = "access-secret-for-tests-0123456789abcdef";

    /** One node's part: its connection, its copy of the list, the access policy reading it, its admin. */
    private record Node(RedisLink link, Revocations revocations, AccessPolicy policy, AccessAdmin admin) {
    }

    private final List<RedisLink> links = new ArrayList<>();

    private Node node(RedisServer redis, String id) {
        RedisLink link = new RedisLink(new ClusterConfig(true, id, "127.0.0.1", redis.uri(), "", "s".repeat(32), Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(30)));
        links.add(link);
        Revocations revocations = new Revocations(100, Clock.systemUTC());
        RedisRevocations shared = Clustering.revocations(link, revocations, Duration.ofHours(1));
        assertTrue(link.start());
        AccessPolicy policy = new AccessPolicy(ViewerAccess.TOKEN, new AccessTokens(List.of(SECRET)), revocations, "access",
                Clock.systemUTC());
        return new Node(link, revocations, policy, new AccessAdmin(revocations, shared, Clock.systemUTC()));
    }

    @Test
    void aRevocationOnOneNodeAppliesOnEveryNodeAndOutlivesARestart(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = node(redis, "node-a");
            Node b = node(redis, "node-b");
            Instant expires = Instant.now().plusSeconds(3600);
            String token = new AccessTokens(List.of(SECRET)).sign("stage", expires, "alice", null);
            assertInstanceOf(AccessCheck.Granted.class, b.policy().check("stage", token, null));
            AtomicInteger toldOnB = new AtomicInteger();
            b.revocations().onRevoked(attendee -> toldOnB.incrementAndGet());

            a.admin().revoke("alice", expires.getEpochSecond(), "test").get(5, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> b.policy().check("stage", token, null) instanceof AccessCheck.Denied denied
                            && denied.reason() == AccessRefusal.REVOKED);
            assertTrue(toldOnB.get() >= 1, "B's viewers of the attendee are disconnected");
            long pttl = redis.connect().sync().pttl(RedisRevocations.PREFIX + "alice");
            assertTrue(pttl > 3_500_000 && pttl <= 3_600_000, "kept as long as the token lives: " + pttl);

            Node late = node(redis, "node-c");
            await().atMost(Duration.ofSeconds(5)).until(() -> late.revocations().revoked("alice"));

            b.admin().restore("alice", "test").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(1)).until(() -> !a.revocations().revoked("alice") && !late.revocations().revoked("alice"));
            assertInstanceOf(AccessCheck.Granted.class, a.policy().check("stage", token, null));

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() -> !a.link().reachable());
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> a.admin().revoke("bob", null, "test").get(5, TimeUnit.SECONDS));
            assertEquals(503, assertInstanceOf(AdminException.class, refused.getCause()).status());
            assertTrue(!a.revocations().revoked("bob"), "nothing changed");
        } finally {
            links.forEach(RedisLink::close);
        }
    }
}
