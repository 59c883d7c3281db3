package fluxrelay.loadtest.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.loadtest.metrics.KindMetrics;
import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.run.Fleet;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Plays a fake LL-HLS origin on loopback: segments of three parts, and a live edge that moves on by one part whenever a
 * blocking reload asks for the part after it (time passing, as the player sees it). Checks the requests in order.
 */
class LowLatencyHlsPlayerTest {

    private static final int PARTS = 3;

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Fleet fleet;
    /** Parts published so far, counted from part 0 of segment 10; starts with segment 10 complete and 11.0 out. */
    private int published = PARTS + 1;

    @AfterEach
    void stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private URI start(boolean byteRanges) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hls/room/", exchange -> answer(exchange, byteRanges));
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hls/room/ll.m3u8");
    }

    private synchronized void answer(HttpExchange exchange, boolean byteRanges) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(path.substring("/hls/room/".length()) + (query != null ? "?" + query : ""));
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null) {
            ranges.add(range);
        }
        byte[] body;
        if (path.endsWith("ll.m3u8")) {
            if (query != null && query.startsWith("_HLS_msn=")) {
                Map<String, String> q = new java.util.HashMap<>();
                for (String pair : query.split("&")) {
                    q.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
                int wanted = (int) (Long.parseLong(q.get("_HLS_msn")) - 10) * PARTS + Integer.parseInt(q.get("_HLS_part"));
                published = Math.max(published, wanted + 1);
            }
            body = playlist(byteRanges).getBytes(StandardCharsets.UTF_8);
        } else {
            body = new byte[1000];
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(range != null ? 206 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Segments of three parts from 10; a segment is complete (EXTINF) as soon as its third part is out. */
    private String playlist(boolean byteRanges) {
        StringBuilder out = new StringBuilder("""
                #EXTM3U
                #EXT-X-TARGETDURATION:1
                #EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.9
                #EXT-X-PART-INF:PART-TARGET=0.3
                #EXT-X-MEDIA-SEQUENCE:10
                #EXT-X-MAP:URI="init-1.mp4"
                """);
        long pdt = Instant.now().toEpochMilli() - 1000;
        out.append("#EXT-X-PROGRAM-DATE-TIME:").append(Instant.ofEpochMilli(pdt)).append('\n');
        int complete = published / PARTS;
        for (int n = 0; n < published; n++) {
            long msn = 10 + n / PARTS;
            String uri = byteRanges ? "s" + msn + ".m4s" : "s" + msn + "." + (n % PARTS) + ".m4s";
            out.append("#EXT-X-PART:DURATION=0.300,URI=\"").append(uri).append('"');
            if (byteRanges) {
                out.append(",BYTERANGE=\"1000@").append(1000 * (n % PARTS)).append('"');
            }
            out.append('\n');
            if (n % PARTS == PARTS - 1 && n / PARTS < complete) {
                out.append("#EXTINF:0.900,\ns").append(msn).append(".m4s\n");
            }
        }
        out.append("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"next.m4s\"\n");
        return out.toString();
    }

    private KindMetrics play(URI uri, boolean poll) {
        KindMetrics metrics = new KindMetrics(ViewerKind.LL_HLS);
        fleet = new Fleet(1, Duration.ofSeconds(5), Duration.ofSeconds(1), poll);
        fleet.spawn(ViewerKind.LL_HLS, uri, metrics);
        return metrics;
    }

    @Test
    void blockingReloadsAskForTheNextPartThenTheNextSegment() throws Exception {
        KindMetrics metrics = play(start(false), false);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests.size() >= 10);
        assertEquals(List.of(
                "ll.m3u8",
                "init-1.mp4",
                "s11.0.m4s",
                "ll.m3u8?_HLS_msn=11&_HLS_part=1",
                "s11.1.m4s",
                "ll.m3u8?_HLS_msn=11&_HLS_part=2",
                "s11.2.m4s",
                // The playlist that brought 11.2 also completed segment 11: the next ask is 12's first part.
                "ll.m3u8?_HLS_msn=12&_HLS_part=0",
                "s12.0.m4s",
                "ll.m3u8?_HLS_msn=12&_HLS_part=1"), requests.subList(0, 10));
        assertTrue(metrics.takePartDelay().getTotalCount() >= 3, "the announced parts are measured, the first is not");
        assertEquals(ViewerStats.State.PLAYING, onlyState());
    }

    @Test
    void byteRangePartsAreFetchedAsRanges() throws Exception {
        play(start(true), false);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests.size() >= 5);
        assertEquals(List.of("ll.m3u8", "init-1.mp4", "s11.m4s", "ll.m3u8?_HLS_msn=11&_HLS_part=1", "s11.m4s"), requests.subList(0, 5));
        assertEquals(List.of("bytes=0-999", "bytes=1000-1999"), ranges.subList(0, 2));
    }

    @Test
    void pollingReloadsCarryNoBlockingQuery() throws Exception {
        play(start(false), true);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests.size() >= 5);
        assertEquals(List.of("ll.m3u8", "init-1.mp4", "s11.0.m4s", "ll.m3u8", "ll.m3u8"), requests.subList(0, 5),
                "the fake edge moves only when asked by a blocking reload: a poller finds nothing new");
    }

    private ViewerStats.State onlyState() {
        Fleet.Census census = fleet.census();
        for (ViewerStats.State state : ViewerStats.State.values()) {
            if (census.count(ViewerKind.LL_HLS, state) == 1) {
                return state;
            }
        }
        return null;
    }
}
