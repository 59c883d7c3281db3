package fluxrelay.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP-FLV viewer for tests: reads the endless FLV response on its own thread and records every tag
 * (type, timestamp, size, keyframe). Closing it disconnects.
 */
public final class HttpFlvTestClient implements AutoCloseable {

    /** One received tag. */
    public record Tag(int type, long timestamp, int size, boolean keyframe, boolean endOfSequence) {
    }

    /** A received Enhanced RTMP v2 multitrack tag (video packet type 6, audio 5), body kept. */
    public record MultitrackTag(int type, long timestamp, byte[] body) {
    }

    private final List<Tag> tags = new CopyOnWriteArrayList<>();
    private final List<MultitrackTag> multitrack = new CopyOnWriteArrayList<>();
    private final HttpURLConnection connection;
    private final Thread reader;
    private volatile int status;
    private volatile java.util.Map<String, List<String>> headers = java.util.Map.of();
    private volatile String contentType;
    private volatile Throwable failure;
    private volatile boolean headerOk;

    public HttpFlvTestClient(String url) throws IOException {
        connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(5000);
        connection.setReadTimeout(30000);
        reader = new Thread(this::read, "http-flv-viewer");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            int code = connection.getResponseCode();
            java.util.Map<String, List<String>> fields = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            connection.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    fields.put(name, values);
                }
            });
            headers = fields;
            status = code;
            contentType = connection.getContentType();
            if (status != 200) {
                return;
            }
            try (InputStream raw = connection.getInputStream(); DataInputStream in = new DataInputStream(raw)) {
                byte[] header = new byte[13];
                in.readFully(header);
                headerOk = header[0] == 'F' && header[1] == 'L' && header[2] == 'V' && header[3] == 1;
                byte[] tagHeader = new byte[11];
                while (true) {
                    in.readFully(tagHeader);
                    int type = tagHeader[0] & 0x1f;
                    int size = ((tagHeader[1] & 0xff) << 16) | ((tagHeader[2] & 0xff) << 8) | (tagHeader[3] & 0xff);
                    long ts = ((tagHeader[4] & 0xffL) << 16) | ((tagHeader[5] & 0xffL) << 8) | (tagHeader[6] & 0xffL)
                            | ((tagHeader[7] & 0xffL) << 24);
                    byte[] body = new byte[size];
                    in.readFully(body);
                    in.readInt();
                    boolean key = type == 9 && size > 1 && ((body[0] & 0xff) >> 4) == 1 && body[1] == 1;
                    tags.add(new Tag(type, ts, size, key, type == 9 && size > 1 && body[1] == 2));
                    int first = size > 0 ? body[0] & 0xff : 0;
                    if (type == 9 && (first & 0x80) != 0 && (first & 0x0f) == 6 || type == 8 && first == 0x95) {
                        multitrack.add(new MultitrackTag(type, ts, body));
                    }
                }
            }
        } catch (EOFException e) {
            // the server ended the response
        } catch (IOException e) {
            failure = e;
        }
    }

    /** The multitrack tags received so far, also in {@link #tags()}. */
    public List<MultitrackTag> multitrack() {
        return multitrack;
    }

    public List<Tag> tags() {
        return tags;
    }

    /** Audio and video tags only. */
    public List<Tag> media() {
        return tags.stream().filter(t -> t.type() == 8 || t.type() == 9).toList();
    }

    public int status() {
        return status;
    }

    /** The first value of response header {@code name} (any case), or null; set before {@link #status()}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public String contentType() {
        return contentType;
    }

    /** True once a valid FLV file header was read. */
    public boolean headerOk() {
        return headerOk;
    }

    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        connection.disconnect();
        reader.interrupt();
        reader.join(5000);
    }
}
