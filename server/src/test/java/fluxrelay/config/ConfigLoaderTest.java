package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static RelayConfig load(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return new ConfigLoader(() -> "generated-key-0123456789").from(config);
    }

    @Test
    void defaultsGiveTheDocumentedPortsAndADemoRoomWithAGeneratedKey() {
        RelayConfig config = load("");
        assertEquals(1935, config.rtmp().port());
        assertEquals(8080, config.http().port());
        assertEquals(4096, config.rtmp().session().chunkSize());
        assertNotNull(config.demoRoom());
        assertEquals("demo", config.demoRoom().id());
        assertEquals("live", config.demoRoom().app());
        assertEquals("generated-key-0123456789", config.demoRoom().streamName());
        assertEquals(1, config.rooms().size());
    }

    @Test
    void eventLoopsAreTwoPerCoreOrOneWithMergedWritesUnlessSet() {
        assertEquals(2 * Runtime.getRuntime().availableProcessors(), load("").rtmp().eventLoopThreads(),
                "0 is two per core, as the configuration reference says");
        assertEquals(Runtime.getRuntime().availableProcessors(), load("relay.stream.write-merge = 350ms").rtmp()
                .eventLoopThreads(), "merged writes: one per core");
        assertEquals(3, load("relay.rtmp.event-loop-threads = 3").rtmp().eventLoopThreads());
        assertEquals(3, load("relay.rtmp.event-loop-threads = 3\nrelay.stream.write-merge = 350ms").rtmp().eventLoopThreads());
    }

    @Test
    void connectionsAreSetUpOnOneLoopOfTheirOwnUnlessTurnedOff() {
        assertEquals(1, load("").rtmp().setupThreads());
        assertEquals(0, load("relay.rtmp.setup-threads = 0").rtmp().setupThreads());
        assertEquals(1, load("").rtmp().ingestThreads());
        assertEquals(0, load("relay.rtmp.ingest-threads = 0").rtmp().ingestThreads());
    }

    @Test
    void hlsDefaultsAndLimitsNameTheKey() {
        HlsConfig hls = load("").hls();
        assertTrue(hls.enabled());
        assertEquals(java.time.Duration.ofSeconds(2), hls.targetDuration());
        assertEquals(6, hls.window());
        assertEquals(java.time.Duration.ofSeconds(1), hls.playlistMaxAge());
        assertEquals("", hls.directory());
        assertTrue(hls.threads() >= 1, "0 resolves to half the cores, at least one");
        assertEquals(3, load("relay.hls.threads = 3").hls().threads());
        ConfigException age = assertThrows(ConfigException.class, () -> load("relay.hls.playlist-max-age = 2s"));
        assertTrue(age.getMessage().startsWith("relay.hls.playlist-max-age"), age.getMessage());
        ConfigException window = assertThrows(ConfigException.class, () -> load("relay.hls.window = 2"));
        assertTrue(window.getMessage().startsWith("relay.hls.window"), window.getMessage());
        ConfigException target = assertThrows(ConfigException.class, () -> load("relay.hls.target-duration = 100ms"));
        assertTrue(target.getMessage().startsWith("relay.hls.target-duration"), target.getMessage());
    }

    @Test
    void generatedStreamNamesAreLongRandomAndValid() {
        String a = StreamNames.generate();
        String b = StreamNames.generate();
        assertEquals(24, a.length());
        assertFalse(a.equals(b));
        assertTrue(StreamNames.isValid(a));
    }

    @Test
    void roomsAreReadWithDefaultsForAppAndAutoLive() {
        RelayConfig config = load("relay.demo-room.enabled = false\n"
                + "relay.rooms = [ { id = keynote, title = \"Keynote\", stream-name = \"k-1-0123456789abcdef\" },"
                + " { id = ws, app = events, stream-name = \"k-2-0123456789abcdef\", auto-live = false, hls = TS } ]");
        assertEquals(2, config.rooms().size());
        RoomConfig keynote = config.rooms().get(0);
        assertNull(keynote.hls(), "no hls key: the relay.hls.fmp4 default applies");
        assertEquals(RoomConfig.Hls.TS, config.rooms().get(1).hls());
        assertEquals("live", keynote.app());
        assertTrue(keynote.autoLive());
        assertFalse(config.rooms().get(1).autoLive());
        assertEquals("events", config.rooms().get(1).app());
    }

    @Test
    void theProgramPolicyHasDocumentedDefaultsAndProgramIsNoInputId() {
        fluxrelay.config.ProgramConfig defaults = load("").program();
        assertEquals(java.time.Duration.ofMillis(1500), defaults.failoverAfter());
        assertEquals(java.time.Duration.ofSeconds(10), defaults.failbackAfter());
        assertTrue(defaults.autoFailback());
        assertFalse(load("relay.program.failback = manual").program().autoFailback());
        assertMessage("relay.program.failback", "relay.program.failback = sometimes");
        assertMessage("relay.program.failover-after", "relay.program.failover-after = 0s");
        assertMessage("relay.rooms[0].inputs[1].id: the input id 'program' is reserved",
                "relay.rooms = [ { id = gala, inputs = [ { id = main, stream-name = gala-main-0123456789 },"
                        + " { id = program, stream-name = gala-prog-0123456789 } ] } ]");
    }

    @Test
    void aRoomMaySetItsOwnFailoverAndFailbackOrFollowTheServers() {
        RoomConfig own = load("relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failover-after = 3s,"
                + " failback-after = 30s, failback = manual } ]").rooms().get(0);
        assertEquals(new RoomConfig.Program(java.time.Duration.ofSeconds(3), java.time.Duration.ofSeconds(30), false), own.program());
        RoomConfig partly = load("relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failback = AUTO } ]").rooms().get(0);
        assertEquals(new RoomConfig.Program(null, null, true), partly.program(), "unset keys follow relay.program");
        assertEquals(RoomConfig.Program.NONE,
                load("relay.rooms = [ { id = gala, stream-name = gala-main-0123456789 } ]").rooms().get(0).program());
        assertMessage("relay.rooms[0].failover-after: must be a positive duration",
                "relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failover-after = 0ms } ]");
        assertMessage("relay.rooms[0].failback-after: must not be negative",
                "relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failback-after = -1s } ]");
        assertMessage("relay.rooms[0].failback: must be auto or manual, got 'never'",
                "relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failback = never } ]");
        assertMessage("relay.rooms[0].failover-afer: unknown key, did you mean relay.rooms[0].failover-after?",
                "relay.rooms = [ { id = gala, stream-name = gala-main-0123456789, failover-afer = 3s } ]");
    }

    @Test
    void roomToStringNeverShowsTheStreamName() {
        RelayConfig config = load("relay.demo-room.stream-name = topsecret-0123456789abcdef");
        assertFalse(config.demoRoom().toString().contains("topsecret-0123456789abcdef"));
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("relay.rtmp.port", "relay.rtmp.port = 70000");
        assertMessage("relay.rtmp.chunk-size", "relay.rtmp.chunk-size = 10");
        assertMessage("relay.rooms[0].stream-name", "relay.rooms = [ { id = a } ]");
        assertMessage("relay.rooms[0].id", "relay.rooms = [ { id = \"../x\", stream-name = k-0123456789abcdef } ]");
        assertMessage("relay.rooms[0].stream-name", "relay.rooms = [ { id = a, stream-name = \"with space\" } ]");
        assertMessage("declared twice", "relay.rooms = [ { id = a, stream-name = k1-0123456789abcdef }, "
                + "{ id = a, stream-name = k2-0123456789abcdef } ]");
        assertMessage("reuses the stream name", "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef }, "
                + "{ id = b, stream-name = k-0123456789abcdef } ]");
        assertMessage("relay.http.port", "relay.http.port = 1935");
        assertMessage("relay.rtmp.handshake-timeout", "relay.rtmp.handshake-timeout = 0s");
        assertMessage("relay.stream.flush-interval", "relay.stream.flush-interval = 5s");
        assertMessage("relay.stream.flush-interval-max", "relay.stream.flush-interval-max = 5ms");
        assertMessage("relay.stream.flushes-per-second", "relay.stream.flushes-per-second = -1");
        assertMessage("relay.stream.max-timestamp-jump", "relay.stream.max-timestamp-jump = 100ms");
        assertMessage("relay.rooms[0].hls", "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef, hls = dash } ]");
        assertMessage("relay.admin.allowed-hosts", "relay.admin.allowed-hosts = [\"http://relay.example\"]");
        assertMessage("relay.admin.auth-failures-per-minute", "relay.admin.auth-failures-per-minute = 0");
        assertMessage("relay.webhooks.max-response-bytes", "relay.webhooks.max-response-bytes = 1GiB");
    }

    @Test
    void adminAndWebhookLimitsHaveTheirDefaults() {
        RelayConfig config = load("relay.admin.allowed-hosts = [\"Relay.Example.org\"]");
        assertEquals(10, config.admin().authFailuresPerMinute());
        assertEquals(java.util.List.of("relay.example.org"), config.admin().allowedHosts());
        assertEquals(64 * 1024, config.webhooks().maxResponseBytes());
    }

    @Test
    void aFileOverridesTheDefaults(@TempDir Path dir) throws Exception {
        File file = dir.resolve("my.conf").toFile();
        Files.writeString(file.toPath(), "relay.rtmp.port = 11935\nrelay.demo-room.stream-name = fixed-key-0123456789abcdef\n");
        RelayConfig config = new ConfigLoader().load(file);
        assertEquals(11935, config.rtmp().port());
        assertEquals("fixed-key-0123456789abcdef", config.demoRoom().streamName());
    }

    @Test
    void aMissingOrBrokenFileIsAClearError(@TempDir Path dir) throws Exception {
        ConfigException missing = assertThrows(ConfigException.class, () -> new ConfigLoader().load(dir.resolve("nope.conf").toFile()));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        File broken = dir.resolve("broken.conf").toFile();
        Files.writeString(broken.toPath(), "relay { rtmp.port = \n");
        ConfigException bad = assertThrows(ConfigException.class, () -> new ConfigLoader().load(broken));
        assertTrue(bad.getMessage().contains("broken.conf"), bad.getMessage());
    }

    @Test
    void rtmpLimitsHaveTheirDocumentedDefaultsAndRanges() {
        RtmpConfig rtmp = load("").rtmp();
        assertEquals(16, rtmp.session().maxStreamsPerConnection());
        assertEquals(65536, rtmp.amf().maxElements());
        assertEquals(32, rtmp.amf().maxDepth());
        assertEquals(64 * 1024, rtmp.amf().maxStringLength());
        assertEquals(64, rtmp.chunks().maxChunkStreams());
        assertEquals(256 * 1024, rtmp.writeBuffer().lowWaterMark());
        assertEquals(10, rtmp.publishFailures().perWindow());
        RtmpConfig set = load("relay.rtmp { max-streams-per-connection = 4, amf-max-elements = 1000 }").rtmp();
        assertEquals(4, set.session().maxStreamsPerConnection());
        assertEquals(1000, set.amf().maxElements());
        assertMessage("relay.rtmp.max-streams-per-connection: must be between 1 and 1024, got 0",
                "relay.rtmp.max-streams-per-connection = 0");
        assertMessage("relay.rtmp.max-streams-per-connection", "relay.rtmp.max-streams-per-connection = 5000");
        assertMessage("relay.rtmp.amf-max-elements: must be between 256 and 16777216, got 10", "relay.rtmp.amf-max-elements = 10");
    }

    @Test
    void policiesAreTypedOnceWithTheAllowedValuesInTheError() {
        assertEquals(BandwidthConfig.Policy.ENFORCE, load("relay.bandwidth.policy = \" Enforce \"").bandwidth().policy());
        assertMessage("relay.bandwidth.policy: must be enforce, warn or off, got 'strict'", "relay.bandwidth.policy = strict");
        assertMessage("relay.rooms[0].hls: must be both, ts or fmp4, got 'dash'",
                "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef, hls = dash } ]");
        assertMessage("relay.demo-room.bandwidth-policy: must be enforce, warn or off", "relay.demo-room.bandwidth-policy = never");
        assertMessage("relay.webhooks.on-failure: must be deny or allow, got 'retry'", "relay.webhooks.on-failure = retry");
        assertTrue(load("relay.webhooks.on-failure = ALLOW").webhooks().allowWhenDown());
    }

    @Test
    void aStreamNameIsTheShorthandForOneMainInput() {
        RoomConfig room = load("relay.rooms = [ { id = a, stream-name = k-1-0123456789abcdef } ]").rooms().get(0);
        assertEquals(List.of(new InputConfig("main", "k-1-0123456789abcdef", "main")), room.inputs());
        assertEquals("k-1-0123456789abcdef", room.streamName());
        assertEquals(List.of(InputConfig.main("generated-key-0123456789")), load("").demoRoom().inputs());
    }

    @Test
    void roomsMayDeclareSeveralInputs() {
        RoomConfig room = load("relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = k-main-0123456789abcdef },"
                + " { id = backup-1, stream-name = k-backup-0123456789abcdef, role = BACKUP } ] } ]").rooms().get(0);
        assertEquals(List.of(new InputConfig("main", "k-main-0123456789abcdef", "main"), new InputConfig("backup-1", "k-backup-0123456789abcdef", "backup")),
                room.inputs());
        assertEquals("k-main-0123456789abcdef", room.streamName(), "the first input's stream name");
        assertTrue(room.inputs().get(1).backup());
        assertFalse(room.toString().contains("k-main-0123456789abcdef") || room.toString().contains("k-backup-0123456789abcdef"), room.toString());
    }

    @Test
    void inputErrorsNameTheKey() {
        assertMessage("relay.rooms[0]: declare either stream-name (one input) or inputs, not both",
                "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef, inputs = [ { id = main, stream-name = k2-0123456789abcdef } ] } ]");
        assertMessage("relay.rooms[0].stream-name: missing (or declare inputs", "relay.rooms = [ { id = a } ]");
        assertMessage("relay.rooms[0].inputs: must list at least one input", "relay.rooms = [ { id = a, inputs = [] } ]");
        assertMessage("relay.rooms[0].inputs: must be a list", "relay.rooms = [ { id = a, inputs = k } ]");
        assertMessage("relay.rooms[0].inputs[0].id: 'Main' must be 1 to 32 lower-case letters",
                "relay.rooms = [ { id = a, inputs = [ { id = Main, stream-name = k-0123456789abcdef } ] } ]");
        assertMessage("relay.rooms[0].inputs[0].id: missing", "relay.rooms = [ { id = a, inputs = [ { stream-name = k-0123456789abcdef } ] } ]");
        assertMessage("relay.rooms[0].inputs[1].id: input id 'main' is declared twice",
                "relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = k1-0123456789abcdef }, "
                        + "{ id = main, stream-name = k2-0123456789abcdef } ] } ]");
        assertMessage("relay.rooms[0].inputs[0].stream-name",
                "relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = \"a b\" } ] } ]");
        assertMessage("relay.rooms[0].inputs[0].role: must be main or backup, got 'spare'",
                "relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = k-0123456789abcdef, role = spare } ] } ]");
        assertMessage("room 'a' (input 'backup') reuses the stream name",
                "relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = k1-0123456789abcdef }, "
                        + "{ id = backup, stream-name = k1-0123456789abcdef } ] } ]");
        assertMessage("room 'b' (input 'backup') reuses the stream name", "relay.rooms = [ { id = a, stream-name = k1-0123456789abcdef },"
                + " { id = b, inputs = [ { id = main, stream-name = k2-0123456789abcdef }, "
                        + "{ id = backup, stream-name = k1-0123456789abcdef } ] } ]");
        assertEquals(2, load("relay.demo-room.enabled = false\nrelay.rooms = [ { id = a, stream-name = k1-0123456789abcdef },"
                + " { id = b, app = other, stream-name = k1-0123456789abcdef } ]").rooms().size(), "stream names are per app, as the lookup");
    }

    @Test
    void thePublisherGapGraceIsAFewSecondsZeroOrMoreAndAtMostTenMinutes() {
        assertEquals(java.time.Duration.ofSeconds(5), load("").stream().publisherGapGrace());
        assertEquals(java.time.Duration.ZERO, load("relay.stream.publisher-gap-grace = 0s").stream().publisherGapGrace());
        assertMessage("relay.stream.publisher-gap-grace: must be between 0 and 10m", "relay.stream.publisher-gap-grace = -1s");
        assertMessage("relay.stream.publisher-gap-grace: must be between 0 and 10m", "relay.stream.publisher-gap-grace = 11m");
    }

    @Test
    void theWebPagesAreOnAndFramedBySelfByDefaultAndTheirAncestorsCannotBreakTheHeader() {
        assertEquals(new WebConfig(true, "'self'"), load("").web());
        assertEquals(new WebConfig(false, "'self' https://events.example.org"),
                load("relay.web { enabled = false, frame-ancestors = \"'self' https://events.example.org\" }").web());
        assertMessage("relay.web.frame-ancestors: must be CSP sources", "relay.web.frame-ancestors = \"'self'; script-src *\"");
        assertMessage("relay.web.frame-ancestors: must be CSP sources", "relay.web.frame-ancestors = \"\"");
        assertMessage("relay.web.frame-ancestors: must be CSP sources", "relay.web.frame-ancestors = \"a, b\"");
    }

    private static void assertMessage(String expected, String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void aCertificateAloneTurnsOnRtmpsAndHttpsOnTheirDefaultPorts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path cert = java.nio.file.Files.writeString(dir.resolve("cert.pem"), "x");
        java.nio.file.Path key = java.nio.file.Files.writeString(dir.resolve("key.pem"), "x");
        String tls = "relay.tls { certificate = \"" + cert + "\", private-key = \"" + key + "\" }";
        RelayConfig config = load(tls);
        assertEquals(1936, config.tls().rtmpsPort());
        assertEquals(8443, config.tls().httpsPort());
        assertEquals(-1, load(tls + "\nrelay.tls.https-port = -1").tls().httpsPort());
        assertEquals(-1, load("").tls().rtmpsPort(), "no certificate, no TLS listener");
        assertMessage("relay.tls.rtmps-port", "relay.tls.rtmps-port = many");
    }
}
