package fluxrelay.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fetches HLS playlists and segments over HTTP and reads the parts of a media playlist tests check. */
public final class HlsTestClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** @param base e.g. {@code http://127.0.0.1:PORT/hls/demo/} */
    public HlsTestClient(String base) {
        this.base = base;
    }

    /** GET of a file under the base, with extra request headers (name, value pairs). */
    public HttpResponse<byte[]> get(String file, String... headers) throws IOException, InterruptedException {
        return send("GET", file, headers);
    }

    /** A request with any method. */
    public HttpResponse<byte[]> send(String method, String file, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + file)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The text of a playlist, or null when it is not served (yet). */
    public String playlist(String file) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = get(file);
        return response.statusCode() == 200 ? new String(response.body()) : null;
    }

    /** One EXTINF entry of a media playlist. */
    public record Entry(String uri, double duration, boolean discontinuity, String programDateTime) {
    }

    /** The segments a media playlist lists. */
    public static List<Entry> entries(String playlist) {
        List<Entry> entries = new ArrayList<>();
        boolean discontinuity = false;
        String dateTime = null;
        double duration = -1;
        for (String line : playlist.split("\n")) {
            if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                dateTime = line.substring(line.indexOf(':') + 1);
            } else if (line.startsWith("#EXTINF:")) {
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                entries.add(new Entry(line, duration, discontinuity, dateTime));
                discontinuity = false;
                dateTime = null;
            }
        }
        return entries;
    }

    /** The value of a playlist tag such as {@code #EXT-X-TARGETDURATION}, or null. */
    public static String tag(String playlist, String name) {
        for (String line : playlist.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** Attributes of the first EXT-X-STREAM-INF of a multivariant playlist. */
    public static Map<String, String> streamInf(String master) {
        String attributes = tag(master, "#EXT-X-STREAM-INF");
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([A-Z0-9-]+)=(\"[^\"]*\"|[^,]*)").matcher(attributes);
        while (m.find()) {
            out.put(m.group(1), m.group(2).replace("\"", ""));
        }
        return out;
    }
}
