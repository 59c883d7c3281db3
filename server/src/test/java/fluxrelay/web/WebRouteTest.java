package fluxrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.http.HttpRouter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link WebRoute} through the router: the pages and their files from the classpath (as the jar has them), the
 * Content-Security-Policy and caching headers, 404 for unknown files, and no way out of the static folder.
 */
class WebRouteTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(
            new WebRoute("'self' https://events.example.org"))));

    private record Answer(int status, HttpHeaders headers, String body) {
    }

    private Answer get(String uri, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Answer(response.status().code(), response.headers().copy(), response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
        }
    }

    @Test
    void servesTheWatchPageFramableAsConfiguredAndTheConsoleNever() {
        Answer watch = get("/watch/keynote?access=abc");
        assertEquals(200, watch.status());
        assertEquals("text/html; charset=utf-8", watch.headers().get(HttpHeaderNames.CONTENT_TYPE));
        String csp = watch.headers().get("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self';") && csp.endsWith("frame-ancestors 'self' https://events.example.org"), csp);
        assertFalse(csp.contains("unsafe"), csp);
        assertEquals("no-referrer", watch.headers().get("Referrer-Policy"), "a watch URL may carry an access token");
        assertEquals("nosniff", watch.headers().get("X-Content-Type-Options"));
        assertEquals("no-cache", watch.headers().get(HttpHeaderNames.CACHE_CONTROL));

        Answer console = get("/console/");
        assertEquals(200, console.status());
        assertTrue(console.headers().get("Content-Security-Policy").endsWith("frame-ancestors 'none'"));
        assertTrue(console.body().contains("id=\"stream-key\""), console.body());

        Answer bare = get("/console");
        assertEquals(301, bare.status());
        assertEquals("/console/", bare.headers().get(HttpHeaderNames.LOCATION));
    }

    @Test
    void pagesSpeakTheReadersLanguage() {
        Answer french = get("/watch/keynote", "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5");
        assertTrue(french.body().contains("<html lang=\"fr\""), french.body());
        assertEquals("fr", french.headers().get(HttpHeaderNames.CONTENT_LANGUAGE));
        assertEquals("Accept-Language", french.headers().get(HttpHeaderNames.VARY));
        assertTrue(get("/console/", "Accept-Language", "de, en;q=0.5").body().contains("<html lang=\"en\""));
        assertTrue(get("/console/?lang=fr").body().contains("<html lang=\"fr\""));
    }

    @Test
    void filesHaveAnEtagAndAnswer304WhenUnchanged() {
        Answer script = get("/web/common/i18n.js");
        assertEquals(200, script.status());
        assertEquals("text/javascript; charset=utf-8", script.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("public, max-age=300", script.headers().get(HttpHeaderNames.CACHE_CONTROL));
        String etag = script.headers().get(HttpHeaderNames.ETAG);
        assertNotNull(etag);
        Answer again = get("/web/common/i18n.js", "If-None-Match", etag);
        assertEquals(304, again.status());
        assertEquals("", again.body());
        assertEquals(200, get("/web/common/i18n.js", "If-None-Match", "\"other\"").status());
    }

    @Test
    void hlsJsFromNpmIsInTheJar() {
        Answer hls = get("/web/vendor/hls.js/dist/hls.min.js");
        assertEquals(200, hls.status());
        assertTrue(hls.body().length() > 100_000 && hls.body().contains("maxLiveSyncPlaybackRate"), "the pinned hls.js build");
    }

    @Test
    void unknownFilesAndOtherMethodsAreRefused() {
        assertEquals(404, get("/web/common/nothing.js").status());
        assertEquals(404, get("/web/vendor/hls.js/LICENSE").status(), "only known file types");
        assertEquals(404, get("/web/").status());
        assertEquals(404, get("/watch/keynote/extra").status(), "not a page of this route: the router's 404");
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/console/"));
        FullHttpResponse post = channel.readOutbound();
        assertEquals(405, post.status().code());
        post.release();
    }

    @Test
    void nothingOutsideTheStaticFolderIsReachable() {
        // The router refuses dot segments, encoded or not, before any route sees them.
        for (String uri : List.of("/web/../reference.conf", "/web/%2e%2e/%2e%2e/fluxrelay/RelayServer.class",
                "/web/common/..%2f..%2f..%2freference.conf", "/web/common%5c..%5creference.conf")) {
            int status = get(uri).status();
            assertTrue(status == 400 || status == 404, uri + " answered " + status);
        }
        // The route itself looks nothing up outside its folder, whatever path it is given.
        StaticFiles files = new StaticFiles(WebRouteTest.class.getClassLoader());
        for (String name : List.of("../../reference.conf", "/fluxrelay/RelayServer.class", "common/../../../logback.xml",
                "..", ".hidden.js", "Common/i18n.js", "common//i18n.js", "common/i18n.js/")) {
            assertTrue(files.find(name).isEmpty(), name);
        }
        assertTrue(files.find("common/i18n.js").isPresent());
        assertEquals(404, get("/web/reference.conf").status(), "a classpath file beside the static folder");
    }

    /** The pages load no inline script or style (the CSP would block them) and every file they name is served. */
    @Test
    void pagesUseOnlyServedFilesAndNoInlineCode() {
        for (String page : List.of("/watch/keynote", "/console/")) {
            String html = get(page).body();
            assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)").matcher(html).find(), page + ": inline script");
            assertFalse(Pattern.compile("\\sstyle=|\\son[a-z]+=").matcher(html).find(), page + ": inline style or handler");
            Matcher refs = Pattern.compile("(?:src|href)=\"(/web/[^\"]+)\"").matcher(html);
            List<String> files = new ArrayList<>();
            while (refs.find()) {
                files.add(refs.group(1));
            }
            assertFalse(files.isEmpty(), page);
            for (String file : files) {
                assertEquals(200, get(file).status(), page + " names " + file);
            }
        }
    }

    /** Every message key the pages and scripts use is in both languages' files, and the files have the same keys. */
    @Test
    void everyMessageIsInFrenchAndEnglish() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode en = json.readTree(get("/web/messages/en.json").body());
        JsonNode fr = json.readTree(get("/web/messages/fr.json").body());
        Set<String> enKeys = new TreeSet<>();
        en.fieldNames().forEachRemaining(enKeys::add);
        Set<String> frKeys = new TreeSet<>();
        fr.fieldNames().forEachRemaining(frKeys::add);
        assertEquals(enKeys, frKeys);
        Set<String> used = new TreeSet<>();
        for (String file : List.of("/watch/keynote", "/console/", "/web/watch/watch.js", "/web/console/console.js")) {
            Matcher keys = Pattern.compile("['\"]((?:watch|console)\\.[a-zA-Z]+)['\"]").matcher(get(file).body());
            while (keys.find()) {
                used.add(keys.group(1));
            }
        }
        assertTrue(used.size() > 50, used.toString());
        used.removeAll(enKeys);
        assertTrue(used.isEmpty(), "message keys missing from the message files: " + used);
    }
}
