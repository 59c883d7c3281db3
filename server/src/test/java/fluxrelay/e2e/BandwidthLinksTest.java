package fluxrelay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import fluxrelay.testing.JsonFields;
import fluxrelay.testing.ShapedLink;
import fluxrelay.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bandwidth checks on real constrained links: viewers in network namespaces behind veth pairs shaped with
 * tc tbf to 2, 5 and 10 Mbit/s, against a 3 Mbit/s requirement.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BandwidthLinksTest {

    private static final double[] RATES = {2, 5, 10};

    private final List<ShapedLink> links = new ArrayList<>();
    private TestServer server;

    @BeforeAll
    void setUp() throws Exception {
        String reason = ShapedLink.unavailableReason();
        assumeTrue(reason == null, () -> "skipped: " + reason);
        assumeTrue(ShapedLink.onPath("curl"), "skipped: curl is not installed");
        for (int i = 0; i < RATES.length; i++) {
            links.add(ShapedLink.create(i, RATES[i]));
        }
        server = TestServer.start("relay.rtmp.host = \"0.0.0.0\"\nrelay.http.host = \"0.0.0.0\"\n"
                + "relay.bandwidth { required-mbps = 3, policy = warn }\n"
                + "relay.rooms = [ { id = strict, app = live, stream-name = strict-key-0123456789, bandwidth-policy = enforce } ]\n");
    }

    @AfterAll
    void tearDown() {
        if (server != null) {
            server.close();
        }
        links.forEach(ShapedLink::close);
    }

    private String probe(ShapedLink link, String room) throws Exception {
        String base = "http://" + link.hostAddress() + ":" + server.httpPort();
        String headers = link.exec(30, "curl", "-sS", "-D", "-", "-o", "/dev/null", "-w", "curl: %{size_download} bytes in %{time_total} s, start %{time_starttransfer}\n", base + "/bwcheck/" + room);
        System.out.println(headers);
        String resultPath = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-bandwidth-result:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        assertNotNull(resultPath, headers);
        return link.exec(30, "curl", "-sS", base + resultPath);
    }

    @Test
    void httpProbeMeasuresEachLinkWithinTwentyPercent() throws Exception {
        for (ShapedLink link : links) {
            String json = probe(link, "demo");
            double measured = JsonFields.number(json, "measured_mbps");
            System.out.printf(Locale.ROOT, "HTTP probe on %s: %s%n", link, json);
            assertTrue(Math.abs(measured - link.mbps()) <= 0.2 * link.mbps(), link + ": " + json);
            assertEquals(link.mbps() < 3 ? "below" : "ok", JsonFields.string(json, "verdict"), json);
            assertEquals("tcp-acks", JsonFields.string(json, "method"), json);
        }
    }
}
