package fluxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (listeners bound, config valid,
 * not draining, the HLS packaging threads still running work) for container probes. Only {@code GET} and {@code HEAD}
 * are answered; other methods get 405.
 */
public final class HealthRoute implements HttpRoute {

    private final BooleanSupplier ready;

    public HealthRoute(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.equals("/health/live") && !path.equals("/health/ready")) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Health checks answer GET and HEAD only.",
                    HttpHeaderNames.ALLOW, "GET, HEAD");
            return true;
        }
        if (path.equals("/health/live")) {
            HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"live\"}");
        } else if (ready.getAsBoolean()) {
            HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"ready\"}");
        } else {
            HttpResponses.json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"not ready\"}");
        }
        return true;
    }
}
