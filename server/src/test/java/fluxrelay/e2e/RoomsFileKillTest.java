package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Http;
import fluxrelay.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime room changes survive {@code kill -9} at any moment: a server process is killed while the admin API
 * creates, changes and deletes rooms as fast as it answers; every restart must load the rooms file, and every
 * change the API acknowledged before the kill must be there (the answer comes only after the write is on disk).
 */
class RoomsFileKillTest {

    @Test
    void acknowledgedChangesSurviveKillNineAtRandomMoments(@TempDir Path dir) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve("kill.conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"\n"
                + "relay.admin.rate-limit-per-minute = 100000\n"
                + "relay.hls.enabled = false\n");
        String base = "http://127.0.0.1:" + http + "/api/rooms";
        Random random = new Random(42);
        List<String> present = new ArrayList<>(); // rooms whose creation (and no deletion) was acknowledged
        List<String> deleted = new ArrayList<>();
        int created = 0;
        for (int round = 0; round < 5; round++) {
            Process server = ServerProcess.start(conf, dir.resolve("server-" + round + ".log"));
            try {
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> Http.get("http://127.0.0.1:" + http + "/health/ready").statusCode() == 200);
                // What was acknowledged before the last kill is all there, and nothing deleted came back.
                for (String id : present) {
                    assertEquals(200, Http.get(base + "/" + id).statusCode(), "round " + round + ": acknowledged room " + id + " lost");
                }
                for (String id : deleted) {
                    assertEquals(404, Http.get(base + "/" + id).statusCode(), "round " + round + ": deleted room " + id + " came back");
                }
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300 + random.nextInt(1200));
                while (System.nanoTime() < killAt) {
                    String id = "r" + created++;
                    HttpResponse<String> answer = Http.send("POST", base,
                            "{\"id\":\"" + id + "\",\"title\":\"Room " + id + "\",\"app\":\"live\"}", null);
                    assertEquals(201, answer.statusCode(), answer.body());
                    present.add(id);
                    if (present.size() > 3 && random.nextInt(3) == 0) {
                        String gone = present.remove(random.nextInt(present.size()));
                        int status = Http.send("DELETE", base + "/" + gone, null, null).statusCode();
                        assertTrue(status == 200 || status == 204, "delete answered " + status);
                        deleted.add(gone);
                    }
                }
                // kill -9 while the next change is in flight (its fate is unknown: neither list records it).
                int inflight = round;
                Thread writer = new Thread(() -> {
                    try {
                        Http.send("POST", base, "{\"id\":\"inflight" + inflight + "\",\"app\":\"live\"}", null);
                    } catch (Exception ignored) {
                        // the server died under it
                    }
                });
                writer.start();
                server.destroyForcibly();
                assertTrue(server.waitFor(10, TimeUnit.SECONDS));
                writer.join(20_000);
            } finally {
                server.destroyForcibly();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        Process last = ServerProcess.start(conf, dir.resolve("server-last.log"));
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> Http.get("http://127.0.0.1:" + http + "/health/ready").statusCode() == 200);
            for (String id : present) {
                assertEquals(200, Http.get(base + "/" + id).statusCode(), "acknowledged room " + id + " lost");
            }
            System.out.printf("kill -9 during admin changes: 5 kills, %d rooms created, %d deleted, all acknowledged changes kept%n",
                    created, deleted.size());
        } finally {
            last.destroy();
            last.waitFor(30, TimeUnit.SECONDS);
            last.destroyForcibly();
        }
    }
}
