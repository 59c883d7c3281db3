package fluxrelay.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * {@code GET /}: a small page saying what the server is and which URLs it answers (publish and viewer URL patterns,
 * admin API, health, metrics, where the documentation is), in French or English by {@code Accept-Language}, with a
 * link switching to the other ({@code ?lang=fr|en}). It names no room and no key: anyone can read it. Everything
 * taken from the request (the {@code Host} header) is HTML-escaped, and a Content-Security-Policy allows nothing but
 * the page's own style.
 */
public final class IndexRoute implements HttpRoute {

    private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:46em;margin:2em auto;"
            + "padding:0 1em;line-height:1.5}code{background:#eee;padding:0 .2em}";
    private static final String CSP = "default-src 'none'; style-src '" + sha256(STYLE) + "'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private final String version;
    private final IntSupplier rtmpPort;
    private final boolean hls;
    private final boolean webPages;

    /**
     * @param version the server's version, shown on the page
     * @param rtmpPort the bound RTMP port (read at each request: it is known once the listener is bound)
     * @param hls whether HLS is served (its URLs are listed only then)
     */
    public IndexRoute(String version, IntSupplier rtmpPort, boolean hls) {
        this(version, rtmpPort, hls, false);
    }

    /** As above; with {@code webPages} the page links to the console and names the watch pages. */
    public IndexRoute(String version, IntSupplier rtmpPort, boolean hls, boolean webPages) {
        this.webPages = webPages;
        this.version = version;
        this.rtmpPort = rtmpPort;
        this.hls = hls;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.equals("/")) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.", HttpHeaderNames.ALLOW,
                    "GET, HEAD");
            return true;
        }
        boolean french = french(request);
        String scheme = ctx.pipeline().get(SslHandler.class) != null ? "https" : "http";
        String host = request.headers().get(HttpHeaderNames.HOST, "HOST");
        String html = page(french, scheme, host);
        HttpHeaders extra = new DefaultHttpHeaders()
                .set("Content-Security-Policy", CSP)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set(HttpHeaderNames.VARY, "Accept-Language")
                .set(HttpHeaderNames.CONTENT_LANGUAGE, french ? "fr" : "en");
        HttpResponses.send(ctx, request, HttpResponseStatus.OK, "text/html; charset=utf-8",
                Unpooled.copiedBuffer(html, StandardCharsets.UTF_8), extra);
        return true;
    }

    /** {@code ?lang=} wins; otherwise the first of French and English in {@code Accept-Language} by weight. */
    public static boolean french(FullHttpRequest request) {
        List<String> lang = new QueryStringDecoder(request.uri()).parameters().get("lang");
        if (lang != null && !lang.isEmpty()) {
            return lang.get(0).equalsIgnoreCase("fr");
        }
        String accept = request.headers().get(HttpHeaderNames.ACCEPT_LANGUAGE, "");
        double fr = 0;
        double en = 0;
        int order = 0;
        double frOrder = Double.MAX_VALUE;
        double enOrder = Double.MAX_VALUE;
        for (String item : accept.split(",")) {
            String[] parts = item.trim().split(";");
            String tag = parts[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            order++;
            if ((tag.equals("fr") || tag.startsWith("fr-")) && q > fr) {
                fr = q;
                frOrder = order;
            } else if ((tag.equals("en") || tag.startsWith("en-")) && q > en) {
                en = q;
                enOrder = order;
            }
        }
        return fr > en || (fr > 0 && fr == en && frOrder < enOrder);
    }

    private String page(boolean fr, String scheme, String hostHeader) {
        String host = hostHeader.startsWith("[") ? hostHeader.substring(0, hostHeader.indexOf(']') + 1)
                : hostHeader.contains(":") ? hostHeader.substring(0, hostHeader.indexOf(':')) : hostHeader;
        String web = scheme + "://" + hostHeader;
        StringBuilder out = new StringBuilder(4096);
        out.append("<!DOCTYPE html>\n<html lang=\"").append(fr ? "fr" : "en").append("\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>fluxrelay</title>\n<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<h1>fluxrelay</h1>\n<p>")
                .append(fr ? "Serveur de diffusion en direct : il reçoit un flux RTMP et le redistribue en RTMP, HTTP-FLV et HLS. "
                        : "Live streaming relay: it takes an RTMP stream in and serves it as RTMP, HTTP-FLV and HLS. ")
                .append(fr ? "Version " : "Version ").append(escape(version)).append(".</p>\n")
                .append("<p><a href=\"/?lang=").append(fr ? "en\" hreflang=\"en\" lang=\"en\">This page in English"
                        : "fr\" hreflang=\"fr\" lang=\"fr\">Cette page en français").append("</a></p>\n");
        if (webPages) {
            out.append("<p><a href=\"/console/\">").append(fr ? "La console des organisateurs" : "The organisers’ console")
                    .append("</a>").append(fr ? " : les salles, leurs clés de flux, GO LIVE. Les participants regardent à "
                            : ": rooms, their stream keys, GO LIVE. Attendees watch at ")
                    .append(code(web + "/watch/" + (fr ? "{salle}" : "{room}"))).append(".</p>\n");
        }

        out.append("<h2>").append(fr ? "Publier" : "Publish").append("</h2>\n<p>")
                .append(fr ? "Dans l’encodeur (OBS…), serveur " : "In the encoder (OBS…), server ")
                .append(code("rtmp://" + host + ":" + rtmpPort.getAsInt() + "/live"))
                .append(fr ? ", et la clé de flux de la salle dans le champ « Clé de stream »."
                        : ", and the room’s stream key in the Stream Key field.").append("</p>\n");

        out.append("<h2>").append(fr ? "Regarder" : "Watch").append("</h2>\n<p>")
                .append(fr ? "Remplacer {salle} par l’identifiant de la salle :" : "Replace {room} with the room’s id:")
                .append("</p>\n<ul>\n");
        String room = fr ? "{salle}" : "{room}";
        item(out, "RTMP", "rtmp://" + host + ":" + rtmpPort.getAsInt() + "/live/" + room);
        item(out, "HTTP-FLV", web + "/live/" + room + ".flv");
        if (hls) {
            item(out, "HLS", web + "/hls/" + room + "/index.m3u8");
            item(out, fr ? "HLS faible latence (LL-HLS)" : "Low-latency HLS (LL-HLS)", web + "/hls/" + room + "/ll.m3u8");
        }
        out.append("</ul>\n");

        out.append("<h2>").append(fr ? "Exploitation" : "Operations").append("</h2>\n<ul>\n");
        item(out, fr ? "API d’administration des salles (jeton « Bearer »)" : "Rooms admin API (Bearer token)", web + "/api/rooms");
        item(out, fr ? "Santé" : "Health", web + "/health/live");
        item(out, fr ? "Prêt à servir" : "Ready to serve", web + "/health/ready");
        item(out, fr ? "Métriques Prometheus" : "Prometheus metrics", web + "/metrics");
        out.append("</ul>\n<p>")
                .append(fr ? "La documentation est livrée avec fluxrelay, dans le dossier "
                        : "The documentation ships with fluxrelay, in the folder ")
                .append(code("docs/")).append(fr ? " : " : ": ")
                .append(code("watching.md")).append(fr ? " (regarder), " : " (watching), ")
                .append(code("going-live.md")).append(fr ? " (publier), " : " (going live), ")
                .append(code("operations.md")).append(fr ? " (API d’administration, arrêt, santé, métriques)."
                        : " (admin API, shutdown, health, metrics).")
                .append("</p>\n</main>\n</body>\n</html>\n");
        return out.toString();
    }

    private static void item(StringBuilder out, String label, String url) {
        out.append("<li>").append(escape(label)).append(" — ").append(code(url))
                .append("</li>\n");
    }

    private static String code(String text) {
        return "<code>" + escape(text) + "</code>";
    }

    /** HTML text and attribute escaping. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
