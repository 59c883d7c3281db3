package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link HealthRoute}: probes read with GET or HEAD; anything else is 405 naming the methods allowed. */
class HealthRouteTest {

    private static FullHttpResponse send(EmbeddedChannel channel, HttpMethod method, String path) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path));
        return channel.readOutbound();
    }

    @Test
    void onlyGetAndHeadAreAnswered() {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(new HealthRoute(() -> true))));
        for (String path : List.of("/health/live", "/health/ready")) {
            for (HttpMethod method : List.of(HttpMethod.GET, HttpMethod.HEAD)) {
                FullHttpResponse response = send(channel, method, path);
                assertEquals(200, response.status().code(), method + " " + path);
                response.release();
            }
            for (HttpMethod method : List.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS,
                    HttpMethod.TRACE)) {
                FullHttpResponse response = send(channel, method, path);
                assertEquals(405, response.status().code(), method + " " + path);
                assertEquals("GET, HEAD", response.headers().get(HttpHeaderNames.ALLOW));
                response.release();
            }
        }
        FullHttpResponse other = send(channel, HttpMethod.POST, "/health/other");
        assertEquals(404, other.status().code(), "other paths are not the route's");
        other.release();
        channel.finishAndReleaseAll();
    }
}
