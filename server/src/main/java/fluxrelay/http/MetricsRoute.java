package fluxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;

/** {@code GET /metrics}: the Prometheus exposition (text format 0.0.4). */
public final class MetricsRoute implements HttpRoute {

    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Supplier<String> scrape;

    public MetricsRoute(Supplier<String> scrape) {
        this.scrape = scrape;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.equals("/metrics")) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.");
            return true;
        }
        HttpResponses.send(ctx, request, HttpResponseStatus.OK, CONTENT_TYPE, scrape.get());
        return true;
    }
}
