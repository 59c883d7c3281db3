package fluxrelay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A single node (the default) needs no Redis and says so where the cluster endpoints are asked for. */
class ClusterOffTest {

    @Test
    void clusterEndpointsAnswerThatClusteringIsOff() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> nodes = Http.get(server.httpUrl("/api/cluster/nodes"));
            assertEquals(404, nodes.statusCode());
            assertTrue(nodes.body().contains("clustering is off"), nodes.body());
            assertEquals(404, Http.get(server.httpUrl("/health/cluster")).statusCode());
            assertEquals(200, Http.get(server.httpUrl("/health/ready")).statusCode());
            assertEquals(405, Http.send("POST", server.httpUrl("/api/cluster/nodes"), "{}", null).statusCode());
        }
    }
}
