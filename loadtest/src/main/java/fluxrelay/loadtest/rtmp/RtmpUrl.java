package fluxrelay.loadtest.rtmp;

import java.net.URI;

/**
 * An {@code rtmp://host[:port]/app/streamName} address as FMS clients split it: everything between the
 * host and the last path segment is the application (it may hold an instance, {@code app/inst}).
 *
 * @param host host name or address
 * @param port TCP port (1935 when absent)
 * @param app application name sent in {@code connect}
 * @param streamName name sent in {@code play} or {@code publish}
 */
public record RtmpUrl(String host, int port, String app, String streamName) {

    /** The default RTMP port. */
    public static final int DEFAULT_PORT = 1935;

    public RtmpUrl {
        if (host == null || host.isEmpty() || app.isEmpty() || streamName.isEmpty()) {
            throw new IllegalArgumentException("an RTMP URL needs a host, an app and a stream name");
        }
    }

    /** Parses {@code rtmp://host[:port]/app[/instance]/name}. */
    public static RtmpUrl parse(String text) {
        URI uri = URI.create(text);
        if (!"rtmp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("not an rtmp:// URL: " + text);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        int split = path.lastIndexOf('/');
        if (split <= 0 || split == path.length() - 1) {
            throw new IllegalArgumentException("RTMP URL needs /app/stream: " + text);
        }
        String name = path.substring(split + 1) + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        return new RtmpUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), path.substring(0, split), name);
    }

    /** The tcUrl sent in {@code connect}: the URL without the stream name. */
    public String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }
}
