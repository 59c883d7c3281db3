package fluxrelay.rooms;

import java.net.SocketAddress;
import java.util.Map;

/**
 * An encoder asks to publish: the app of its FMS URL, the stream name and the query string after it.
 *
 * @param app the FMS application name from {@code connect}
 * @param streamName the stream name from {@code publish}, query removed
 * @param query parameters of {@code name?query}, for authorizers that use tokens
 * @param remoteAddress the encoder's address, for logs
 */
public record PublishRequest(String app, String streamName, Map<String, String> query, SocketAddress remoteAddress) {

    public PublishRequest {
        query = Map.copyOf(query);
    }

    @Override
    public String toString() {
        return "PublishRequest[app=" + app + ", from=" + remoteAddress + "]";
    }
}
