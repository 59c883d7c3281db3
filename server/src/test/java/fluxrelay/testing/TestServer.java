package fluxrelay.testing;

import com.typesafe.config.ConfigFactory;
import fluxrelay.RelayServer;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.RelayConfig;

/**
 * The real server on loopback and ephemeral ports, with room {@code demo} bound to stream name
 * {@link #KEY} in app {@code live}, plus whatever the test's HOCON adds.
 */
public final class TestServer implements AutoCloseable {

    /** The demo room's stream name. */
    public static final String KEY = "test-key-0123456789";

    private final RelayServer server;

    private TestServer(RelayServer server) {
        this.server = server;
    }

    /** Starts with the defaults, ephemeral loopback ports and {@code extraHocon} on top. */
    public static TestServer start(String extraHocon) throws InterruptedException {
        String base = "relay.rtmp { host = 127.0.0.1, port = 0 }\n"
                + "relay.http { host = 127.0.0.1, port = 0 }\n"
                + "relay.demo-room.stream-name = \"" + KEY + "\"\n";
        RelayConfig config = new ConfigLoader().from(ConfigFactory.parseString(extraHocon)
                .withFallback(ConfigFactory.parseString(base))
                .withFallback(ConfigFactory.defaultReference()).resolve());
        RelayServer server = new RelayServer(config);
        server.start();
        return new TestServer(server);
    }

    /** Starts with the defaults on ephemeral loopback ports. */
    public static TestServer start() throws InterruptedException {
        return start("");
    }

    public RelayServer server() {
        return server;
    }

    public int rtmpPort() {
        return server.rtmpPort();
    }

    public int httpPort() {
        return server.httpPort();
    }

    /** {@code rtmp://127.0.0.1:PORT/app/name}. */
    public String rtmpUrl(String app, String name) {
        return "rtmp://127.0.0.1:" + rtmpPort() + "/" + app + "/" + name;
    }

    /** {@code http://127.0.0.1:PORT/path}. */
    public String httpUrl(String path) {
        return "http://127.0.0.1:" + httpPort() + path;
    }

    @Override
    public void close() {
        server.close();
    }
}
