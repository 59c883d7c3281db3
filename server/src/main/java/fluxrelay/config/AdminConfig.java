package fluxrelay.config;

import java.util.List;

/**
 * The rooms admin API ({@code relay.admin}).
 *
 * @param token bearer token; empty means loopback clients only
 * @param roomsFile where runtime changes persist; empty for none
 * @param rateLimitPerMinute admin requests per minute per client IP
 * @param maxRooms most rooms the server holds
 * @param authFailuresPerMinute wrong tokens one client IP may send per minute (after a burst of as many) before it
 *     must wait
 * @param allowedHosts host names (of the {@code Host} header) the API answers besides the loopback names and the
 *     listener's own host; with a token, an empty list lets any host name through
 */
public record AdminConfig(String token, String roomsFile, int rateLimitPerMinute, int maxRooms, int authFailuresPerMinute,
                          List<String> allowedHosts) {

    public AdminConfig {
        allowedHosts = List.copyOf(allowedHosts);
    }

    @Override
    public String toString() {
        return "AdminConfig[token=" + (token.isEmpty() ? "none" : "***") + ", roomsFile=" + roomsFile + "]";
    }
}
