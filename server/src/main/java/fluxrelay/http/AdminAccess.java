package fluxrelay.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a browser could be tricked into sending, refused before any token or room is looked at: a {@code Host}
 * the admin API does not answer to (DNS rebinding), an {@code Origin} other than the API's own (cross-site
 * requests), and writes without a JSON content type (a form or {@code text/plain} POST needs no CORS preflight;
 * {@code application/json} does). Clients outside a browser send no {@code Origin} and pass that check.
 */
public final class AdminAccess {

    /** The names a loopback client reaches the server by. */
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1");

    private final Set<String> hosts;
    private final boolean checkHosts;

    /**
     * @param hosts host names the API answers besides the loopback ones (the listener's own host, configured ones);
     *     wildcard addresses are ignored
     * @param checkHosts false to let any {@code Host} through (a token protects the API and no names are configured)
     */
    public AdminAccess(Collection<String> hosts, boolean checkHosts) {
        Set<String> all = new HashSet<>(LOOPBACK);
        for (String host : hosts) {
            String name = normalise(host);
            if (!name.isEmpty() && !name.equals("0.0.0.0") && !name.equals("::")) {
                all.add(name);
            }
        }
        this.hosts = Set.copyOf(all);
        this.checkHosts = checkHosts;
    }

    /**
     * The admin API's access rule from its settings: without a token, or with configured names, only the loopback
     * names, the listener's host and the configured names are answered.
     */
    public static AdminAccess of(String token, String listenerHost, Collection<String> allowedHosts) {
        Set<String> names = new HashSet<>(allowedHosts);
        names.add(listenerHost);
        return new AdminAccess(names, token.isEmpty() || !allowedHosts.isEmpty());
    }

    /** Why the request's {@code Host} is refused, or null when it is answered (or absent, as from HTTP/1.0 tools). */
    public String refusedHost(HttpHeaders headers) {
        String host = headers.get(HttpHeaderNames.HOST);
        if (!checkHosts || host == null) {
            return null;
        }
        String name = normalise(hostOf(host));
        return hosts.contains(name) ? null
                : "The admin API does not answer to host '" + abbreviate(host) + "': add it to relay.admin.allowed-hosts.";
    }

    /** Why the request's {@code Origin} is refused (another site's page sent it), or null. */
    public String refusedOrigin(HttpHeaders headers) {
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return null;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        return host != null && sameOrigin(origin, host) ? null
                : "Cross-site admin requests are refused (Origin '" + abbreviate(origin) + "').";
    }

    /** Why a write is refused for its content type, or null when it is not a write or says JSON. */
    public static String refusedContentType(HttpMethod method, HttpHeaders headers) {
        boolean write = HttpMethod.POST.equals(method) || HttpMethod.PUT.equals(method) || HttpMethod.PATCH.equals(method)
                || HttpMethod.DELETE.equals(method);
        if (!write) {
            return null;
        }
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE, "");
        int semicolon = type.indexOf(';');
        String media = (semicolon < 0 ? type : type.substring(0, semicolon)).strip();
        return media.equalsIgnoreCase("application/json") ? null
                : "Admin changes must be sent with Content-Type: application/json (curl: -H 'Content-Type: application/json').";
    }

    /** Whether {@code origin} (scheme://host[:port]) names the same host and port as the {@code Host} header. */
    private static boolean sameOrigin(String origin, String hostHeader) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return false; // "null" (sandboxed pages, file: URLs) and other schemes
        }
        int defaultPort = scheme.equals("https") ? 443 : 80;
        int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String host = hostOf(hostHeader);
        int hostPort = portOf(hostHeader, defaultPort);
        return normalise(uri.getHost()).equals(normalise(host)) && originPort == hostPort;
    }

    /** The name part of a {@code Host} header value: {@code [::1]:8080} gives {@code [::1]}, {@code a:80} gives {@code a}. */
    private static String hostOf(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 || host.indexOf(':', colon + 1) >= 0 ? host : host.substring(0, colon);
    }

    private static int portOf(String host, int defaultPort) {
        int colon = host.lastIndexOf(':');
        if (colon < 0 || colon < host.lastIndexOf(']')) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(host.substring(colon + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Lower case, without IPv6 brackets or a trailing dot. */
    private static String normalise(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
