package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless peers that open many chunk streams and never finish their messages, against a server process sized like
 * the container ({@code -Xmx358m -XX:MaxDirectMemorySize=358m}) with a live room: each such connection is closed
 * alone, the live room keeps playing, a new encoder goes live in another room, and readiness stays true because the
 * server is still fine. Without the partial-message budgets the first wave alone asks for 300 MiB of direct memory.
 */
class PartialMessageFloodEndToEndTest {

    private static final String LIVE_KEY = "flood-live-key-0123456789";
    private static final String SECOND_KEY = "flood-second-key-0123456789";
    private static final String THIRD_KEY = "flood-third-key-0123456789";
    private static final int CHUNK = 65536;

    @Test
    void floodsOfPartialMessagesCloseOnlyTheFloodingConnections(@TempDir Path dir) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve("flood.conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.demo-room.stream-name = " + LIVE_KEY + "\n"
                + "relay.rooms = [ { id = \"second\", title = \"Second\", app = \"live\", stream-name = \"" + SECOND_KEY + "\" },\n"
                + "  { id = \"third\", title = \"Third\", app = \"live\", stream-name = \"" + THIRD_KEY + "\" } ]\n"
                + "relay.lifecycle.drain-timeout = 2s\n");
        Path log = dir.resolve("server.log");
        Process server = ServerProcess.start(conf, log, List.of("-Xmx358m", "-XX:MaxDirectMemorySize=358m"));
        ExecutorService attackers = Executors.newFixedThreadPool(8);
        List<Socket> holders = new ArrayList<>();
        String ready = "http://127.0.0.1:" + http + "/health/ready";
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Http.get(ready).statusCode() == 200);
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run live = publish(sample, rtmp, LIVE_KEY);
                 RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                viewer.play("demo");
                await().atMost(Duration.ofSeconds(20)).until(() -> viewer.received().size() > 30);

                // Wave 1, as reported: 5 connections x 60 chunk streams x 1 MiB sent of 1.06 MiB partial messages.
                List<CompletableFuture<Boolean>> floods = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    floods.add(CompletableFuture.supplyAsync(() -> flood(rtmp, 60, 1_111_490, 16), attackers));
                }
                for (CompletableFuture<Boolean> flood : floods) {
                    assertTrue(flood.get(120, TimeUnit.SECONDS), "the server closed the flooding connection");
                }
                assertLivePlays(viewer, live);

                // Wave 2: 120 strangers each within its own budget (4 x 60 KiB declared, 4 KiB chunks sent) would
                // hold 28 MiB, over the server-wide share for connections that have not published (358 MiB / 16);
                // those beyond it are closed, the live room does not notice.
                for (int i = 0; i < 120; i++) {
                    Socket holder = handshake(rtmp, 4096);
                    holders.add(holder);
                    try {
                        sendPartials(holder.getOutputStream(), 4, 60 * 1024, 1, 4096);
                    } catch (IOException e) {
                        // closed already: counted below from the server's side
                    }
                }
                assertLivePlays(viewer, live);
                await().atMost(Duration.ofSeconds(20)).until(() -> refused(http, "server") > 0);
                assertEquals(5, refused(http, "connection"), "wave 1: each connection over its own budget");
                assertTrue(Files.readString(log).contains("server-wide budget"));
                String metrics = Http.get("http://127.0.0.1:" + http + "/metrics").body();
                assertTrue(metrics.contains("fluxrelay_rtmp_partial_messages_bytes{connections=\"before_publish\"")
                        && metrics.contains("fluxrelay_rtmp_partial_messages_budget_bytes{connections=\"all\""), metrics);
                for (Socket holder : holders) {
                    holder.close();
                }

                // An admitted publisher has the larger budget: a 2 MiB keyframe, eight times the pre-publish budget.
                try (RtmpTestClient publisher = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                    int stream = publisher.publish(THIRD_KEY);
                    publisher.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(10));
                    ByteBuf keyframe = Unpooled.buffer(2 << 20);
                    keyframe.writeBytes(new byte[] {0x17, 1, 0, 0, 0}); // AVC keyframe, NAL units, composition time 0
                    keyframe.writeInt((2 << 20) - 9).writeByte(0x65).writeZero((2 << 20) - 10);
                    publisher.sendMedia(stream, 9, 0, keyframe);
                    publisher.createStream(); // answered only after the keyframe before it was read whole
                    assertTrue(publisher.isOpen());
                    assertEquals(5, refused(http, "connection"), "the publisher's keyframe was not refused");
                }

                // A new encoder in another room goes live and plays; readiness says so.
                try (Ffmpeg.Run second = publish(sample, rtmp, SECOND_KEY);
                     RtmpTestClient secondViewer = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                    secondViewer.play("second");
                    await().atMost(Duration.ofSeconds(20)).until(() -> secondViewer.received().size() > 30);
                    assertTrue(second.alive(), second.output());
                }
                assertLivePlays(viewer, live);
                assertEquals(200, Http.get(ready).statusCode());
                List<String> lines = Files.readAllLines(log);
                assertTrue(lines.stream().anyMatch(l -> l.contains("127.0.0.1") && l.contains("closing connection")
                        && l.contains("this connection's budget")), "the log names the address and the budget");
                assertTrue(lines.stream().noneMatch(l -> l.contains("OutOfMemoryError") || l.contains("Cannot reserve")),
                        "no allocation failed");
            }
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "SIGTERM ends the server");
        } finally {
            for (Socket holder : holders) {
                holder.close();
            }
            attackers.shutdownNow();
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code fluxrelay_rtmp_partial_messages_refused_total} for one budget, from {@code /metrics}. */
    private static double refused(int http, String budget) throws IOException, InterruptedException {
        String prefix = "fluxrelay_rtmp_partial_messages_refused_total{budget=\"" + budget + "\"";
        return Http.get("http://127.0.0.1:" + http + "/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static Ffmpeg.Run publish(Path sample, int port, String key) throws IOException {
        return Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                "rtmp://127.0.0.1:" + port + "/live/" + key);
    }

    private static void assertLivePlays(RtmpTestClient viewer, Ffmpeg.Run live) {
        int before = viewer.received().size();
        await().atMost(Duration.ofSeconds(20)).until(() -> viewer.received().size() > before + 30);
        assertTrue(live.alive(), live.output());
        assertTrue(viewer.isOpen());
    }

    /**
     * One flooding connection: handshake, then {@code streams} messages of {@code length} declared bytes of which
     * {@code chunks} 64 KiB chunks are sent; true when the server closes the connection.
     */
    private static boolean flood(int port, int streams, int length, int chunks) {
        try (Socket socket = handshake(port, CHUNK)) {
            sendPartials(socket.getOutputStream(), streams, length, chunks, CHUNK);
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false; // still open 30 s later
        } catch (IOException e) {
            return true; // reset or broken pipe: closed by the server
        }
    }

    /** A connection past the RTMP handshake (spec 5.2) that sends with {@code chunkSize} (Set Chunk Size, 5.4.1). */
    private static Socket handshake(int port, int chunkSize) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] c0c1 = new byte[1 + 1536];
        c0c1[0] = 3;
        out.write(c0c1);
        byte[] s0s1s2 = in.readNBytes(1 + 2 * 1536);
        if (s0s1s2.length != 1 + 2 * 1536) {
            throw new IOException("handshake cut short");
        }
        out.write(s0s1s2, 1, 1536); // C2 echoes S1
        out.write(new byte[] {2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, // csid 2, fmt 0, 4 bytes, type 1, stream 0
                (byte) (chunkSize >>> 24), (byte) (chunkSize >>> 16), (byte) (chunkSize >>> 8), (byte) chunkSize});
        out.flush();
        return socket;
    }

    /** Starts a video message of {@code length} bytes on each of {@code streams} chunk streams, never finishing it. */
    private static void sendPartials(OutputStream out, int streams, int length, int chunks, int chunkBytes) throws IOException {
        byte[] data = new byte[chunkBytes];
        for (int csid = 3; csid < 3 + streams; csid++) {
            out.write(new byte[] {(byte) csid, 0, 0, 0, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, 9, 1, 0, 0, 0});
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    out.write(0xC0 | csid);
                }
                out.write(data);
            }
        }
        out.flush();
    }
}
