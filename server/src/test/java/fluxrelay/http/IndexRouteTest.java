package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link IndexRoute}: the page at {@code /} names the URLs, in the reader's language, escaped and locked down. */
class IndexRouteTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(new IndexRoute("1.2.3", () -> 1935, true))));

    private record Page(int status, String type, String csp, String language, String body) {
    }

    private Page get(HttpMethod method, String uri, String host, String acceptLanguage) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (host != null) {
            request.headers().set(HttpHeaderNames.HOST, host);
        }
        if (acceptLanguage != null) {
            request.headers().set(HttpHeaderNames.ACCEPT_LANGUAGE, acceptLanguage);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Page(response.status().code(), response.headers().get(HttpHeaderNames.CONTENT_TYPE),
                    response.headers().get("Content-Security-Policy"), response.headers().get(HttpHeaderNames.CONTENT_LANGUAGE),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void linksToTheConsoleOnlyWhenTheWebPagesAreOn() {
        assertFalse(get(HttpMethod.GET, "/", "relay.example.org:8080", "en").body().contains("/console/"));
        EmbeddedChannel withPages = new EmbeddedChannel(new HttpRouter(List.of(new IndexRoute("1.2.3", () -> 1935, true, true))));
        for (String[] expected : List.of(new String[] {"en", "<a href=\"/console/\">The organisers’ console</a>",
                "http://relay.example.org:8080/watch/{room}"}, new String[] {"fr",
                "<a href=\"/console/\">La console des organisateurs</a>", "http://relay.example.org:8080/watch/{salle}"})) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
            request.headers().set(HttpHeaderNames.HOST, "relay.example.org:8080");
            request.headers().set(HttpHeaderNames.ACCEPT_LANGUAGE, expected[0]);
            withPages.writeInbound(request);
            FullHttpResponse response = withPages.readOutbound();
            String body = response.content().toString(StandardCharsets.UTF_8);
            response.release();
            assertTrue(body.contains(expected[1]) && body.contains(expected[2]), body);
        }
        withPages.finishAndReleaseAll();
    }

    @Test
    void namesTheServerAndEveryUrlPatternInEnglish() {
        Page page = get(HttpMethod.GET, "/", "relay.example.org:8080", "en-GB,en;q=0.9");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.type());
        assertEquals("en", page.language());
        assertTrue(page.body().startsWith("<!DOCTYPE html>\n<html lang=\"en\">"), page.body());
        for (String expected : List.of("fluxrelay", "1.2.3", "rtmp://relay.example.org:1935/live/{room}",
                "http://relay.example.org:8080/live/{room}.flv", "http://relay.example.org:8080/hls/{room}/index.m3u8",
                "http://relay.example.org:8080/hls/{room}/ll.m3u8", "http://relay.example.org:8080/api/rooms",
                "/health/ready", "/health/live", "http://relay.example.org:8080/metrics", "<code>docs/</code>",
                "<a href=\"/?lang=fr\" hreflang=\"fr\" lang=\"fr\">Cette page en français</a>")) {
            assertTrue(page.body().contains(expected), expected + " in\n" + page.body());
        }
        assertTrue(page.csp().startsWith("default-src 'none'; style-src 'sha256-"), page.csp());
    }

    @Test
    void speaksFrenchByAcceptLanguageOrByTheSwitchLink() {
        Page byHeader = get(HttpMethod.GET, "/", "h", "fr-FR,fr;q=0.9,en;q=0.8");
        assertEquals("fr", byHeader.language());
        assertTrue(byHeader.body().contains("<html lang=\"fr\">") && byHeader.body().contains("/live/{salle}.flv")
                && byHeader.body().contains("This page in English"), byHeader.body());
        assertEquals("en", get(HttpMethod.GET, "/", "h", "en;q=0.9,fr;q=0.5").language(), "weights count");
        assertEquals("en", get(HttpMethod.GET, "/", "h", "de").language(), "English otherwise");
        assertEquals("en", get(HttpMethod.GET, "/?lang=en", "h", "fr").language(), "the link wins over the header");
        assertEquals("fr", get(HttpMethod.GET, "/?lang=fr", "h", null).language());
    }

    @Test
    void escapesTheHostHeaderAndListsNoRoomOrKey() {
        Page page = get(HttpMethod.GET, "/", "evil\"><script>alert(1)</script>", null);
        assertFalse(page.body().contains("<script>"), page.body());
        assertTrue(page.body().contains("&lt;script&gt;"), page.body());
        assertFalse(page.body().contains("<script"), "no script at all");
    }

    @Test
    void headHasNoBodyOtherMethodsAre405AndOtherPathsNotTheRoutes() {
        Page head = get(HttpMethod.HEAD, "/", "h", null);
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertEquals(405, get(HttpMethod.POST, "/", "h", null).status());
        assertEquals(404, get(HttpMethod.GET, "/other", "h", null).status());
    }
}
