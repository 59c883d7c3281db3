package fluxrelay.config;

/**
 * The rooms admin API ({@code relay.admin}).
 *
 * @param token bearer token; empty means loopback clients only
 * @param roomsFile where runtime changes persist; empty for none
 * @param rateLimitPerMinute admin requests per minute per client IP
 * @param maxRooms most rooms the server holds
 */
public record AdminConfig(String token, String roomsFile, int rateLimitPerMinute, int maxRooms) {

    @Override
    public String toString() {
        return "AdminConfig[token=" + (token.isEmpty() ? "none" : "***") + ", roomsFile=" + roomsFile + "]";
    }
}
