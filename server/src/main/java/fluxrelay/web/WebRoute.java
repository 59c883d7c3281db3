package fluxrelay.web;

import fluxrelay.http.HttpResponses;
import fluxrelay.http.HttpRoute;
import fluxrelay.http.IndexRoute;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves the console and the watch page from the jar.
 *
 * <pre>
 * GET /console/           the organisers' console (never framed)
 * GET /watch/{room-id}    the attendees' watch page (framed only by {@code relay.web.frame-ancestors})
 * GET /web/{file}         their scripts, styles, message files and hls.js
 * </pre>
 *
 * <p>Every answer carries a Content-Security-Policy that runs no inline script ({@code script-src 'self'}) and connects
 * only to this server; pages are sent {@code no-cache}, files with an ETag and a short max-age (a matching
 * {@code If-None-Match} gets 304). A page's {@code <html lang>} is French or English by {@code Accept-Language} (or
 * {@code ?lang=}), as {@code GET /}. Unknown files are 404; names that could leave the static folder are never looked up.
 */
public final class WebRoute implements HttpRoute {

    static final String CONSOLE = "/console/";
    static final String WATCH = "/watch/";
    static final String FILES = "/web/";
    private static final String FILE_CACHE = "public, max-age=300";

    private final StaticFiles files;
    private final String watchPolicy;
    private final String consolePolicy;

    /** @param frameAncestors the CSP {@code frame-ancestors} sources of the watch page */
    public WebRoute(String frameAncestors) {
        this(frameAncestors, WebRoute.class.getClassLoader());
    }

    WebRoute(String frameAncestors, ClassLoader loader) {
        this.files = new StaticFiles(loader);
        this.watchPolicy = policy(frameAncestors);
        this.consolePolicy = policy("'none'");
    }

    /** The policy of every answer: scripts, styles, media and requests from this server only (blob: for MSE and hls.js's worker). */
    static String policy(String frameAncestors) {
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
                + "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; "
                + "frame-ancestors " + frameAncestors;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        boolean console = path.equals(CONSOLE) || path.equals("/console");
        boolean watch = path.startsWith(WATCH) && path.length() > WATCH.length() && path.indexOf('/', WATCH.length()) < 0;
        boolean file = path.startsWith(FILES);
        if (!console && !watch && !file) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.", HttpHeaderNames.ALLOW, "GET, HEAD");
            return true;
        }
        if (path.equals("/console")) {
            HttpResponses.send(ctx, request, HttpResponseStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8",
                    Unpooled.EMPTY_BUFFER, new DefaultHttpHeaders().set(HttpHeaderNames.LOCATION, CONSOLE));
            return true;
        }
        if (file) {
            Optional<StaticFiles.File> found = files.find(path.substring(FILES.length()));
            if (found.isEmpty()) {
                HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such file.");
            } else {
                send(ctx, request, found.get(), FILE_CACHE, watchPolicy, false);
            }
            return true;
        }
        Optional<StaticFiles.File> page = files.find(console ? "console/index.html" : "watch/index.html");
        if (page.isEmpty()) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "The web pages are missing from this build.");
            return true;
        }
        send(ctx, request, page.get(), "no-cache", console ? consolePolicy : watchPolicy, true);
        return true;
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, StaticFiles.File file, String cache,
                             String policy, boolean page) {
        HttpHeaders headers = new DefaultHttpHeaders()
                .set("Content-Security-Policy", policy)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set(HttpHeaderNames.CACHE_CONTROL, cache);
        byte[] body = file.bytes();
        if (page) {
            // The only per-request part of a page: its language, chosen like GET /'s. Not cacheable by ETag then.
            boolean french = IndexRoute.french(request);
            headers.set(HttpHeaderNames.VARY, "Accept-Language").set(HttpHeaderNames.CONTENT_LANGUAGE, french ? "fr" : "en");
            body = new String(body, StandardCharsets.UTF_8).replaceFirst("<html lang=\"en\"", "<html lang=\"" + (french ? "fr" : "en")
                    + "\"").getBytes(StandardCharsets.UTF_8);
        } else {
            headers.set(HttpHeaderNames.ETAG, file.etag());
            if (file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
                HttpResponses.send(ctx, request, HttpResponseStatus.NOT_MODIFIED, file.contentType(), Unpooled.EMPTY_BUFFER, headers);
                return;
            }
        }
        HttpResponses.send(ctx, request, HttpResponseStatus.OK, file.contentType(), Unpooled.wrappedBuffer(body), headers);
    }
}
