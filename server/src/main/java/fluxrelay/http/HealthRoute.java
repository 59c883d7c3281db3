package fluxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (listeners bound, config valid,
 * not draining, the HLS packaging threads still running work) for container probes; {@code /health/cluster} says
 * whether a cluster node reaches its shared store (ready stays true without it: streams in flight and known rooms
 * keep working). Only {@code GET} and {@code HEAD} are answered; other methods get 405.
 */
public final class HealthRoute implements HttpRoute {

    private final BooleanSupplier ready;
    private final BooleanSupplier storeReachable;

    public HealthRoute(BooleanSupplier ready) {
        this(ready, null);
    }

    /**
     * @param ready whether the node serves
     * @param storeReachable whether the cluster's shared store answers, or null when clustering is off
     */
    public HealthRoute(BooleanSupplier ready, BooleanSupplier storeReachable) {
        this.ready = ready;
        this.storeReachable = storeReachable;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.equals("/health/live") && !path.equals("/health/ready") && !path.equals("/health/cluster")) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Health checks answer GET and HEAD only.",
                    HttpHeaderNames.ALLOW, "GET, HEAD");
            return true;
        }
        switch (path) {
            case "/health/live" -> HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"live\"}");
            case "/health/ready" -> {
                if (ready.getAsBoolean()) {
                    HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"ready\"}");
                } else {
                    HttpResponses.json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"not ready\"}");
                }
            }
            case "/health/cluster" -> {
                if (storeReachable == null) {
                    HttpResponses.json(ctx, request, HttpResponseStatus.NOT_FOUND, "{\"status\":\"clustering is off\"}");
                } else if (storeReachable.getAsBoolean()) {
                    HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
                } else {
                    HttpResponses.json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                            "{\"status\":\"degraded: store unreachable\"}");
                }
            }
            default -> throw new IllegalStateException(path);
        }
        return true;
    }
}
