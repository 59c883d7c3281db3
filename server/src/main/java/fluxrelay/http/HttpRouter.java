package fluxrelay.http;

import fluxrelay.logging.LogText;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each request to the first {@link HttpRoute} that takes it, after rejecting what no route may
 * see: undecodable requests, paths with {@code ..}, backslashes or control characters. Unknown paths get
 * 404 with a JSON message.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final List<HttpRoute> routes;

    public HttpRouter(List<HttpRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            log.info("{}: bad HTTP request: {}", ctx.channel().remoteAddress(), request.decoderResult().cause().toString());
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request.")
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String path = safePath(request.uri());
        if (path == null) {
            log.info("{}: refused path {}", ctx.channel().remoteAddress(), LogText.of(request.uri(), 120));
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "Invalid path.");
            return;
        }
        if (!decodableQuery(request.uri())) {
            log.info("{}: refused query {}", ctx.channel().remoteAddress(), LogText.of(request.uri(), 120));
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "Invalid query string (bad percent-encoding).");
            return;
        }
        for (HttpRoute route : routes) {
            if (route.handle(ctx, request, path)) {
                return;
            }
        }
        HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "Not found.");
    }

    /**
     * Whether the query string decodes: routes read their tokens from it, and a bad percent-escape would otherwise
     * fail in whichever route reads it first.
     */
    static boolean decodableQuery(String uri) {
        try {
            new QueryStringDecoder(uri).parameters();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The decoded path, or null when it could reach outside its route (dot segments, backslash, NUL). */
    static String safePath(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return null;
            }
        }
        return path;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("{}: HTTP connection closed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
