package fluxrelay.rtmp.command;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stream name from {@code publish} or {@code play}, split at the first {@code ?}: the name itself and
 * the query parameters after it (tokens for authorizers).
 *
 * @param name the stream name
 * @param query decoded query parameters; the first value of a repeated key wins
 */
public record StreamName(String name, Map<String, String> query) {

    /** Most query parameters kept; more are ignored. */
    private static final int MAX_PARAMETERS = 32;

    public StreamName {
        query = Map.copyOf(query);
    }

    /** Parses {@code name?a=1&b=2}; a null input gives an empty name. */
    public static StreamName parse(String raw) {
        if (raw == null) {
            return new StreamName("", Map.of());
        }
        int q = raw.indexOf('?');
        if (q < 0) {
            return new StreamName(raw, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.substring(q + 1).split("&")) {
            if (pair.isEmpty() || params.size() >= MAX_PARAMETERS) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return new StreamName(raw.substring(0, q), params);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    @Override
    public String toString() {
        return "StreamName[query keys=" + query.keySet() + "]";
    }
}
