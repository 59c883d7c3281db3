package fluxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.BooleanSupplier;

/**
 * {@code /health/live} (the process answers) and {@code /health/ready} (listeners bound, config valid,
 * not draining, the HLS packaging threads still running work) for container probes.
 */
public final class HealthRoute implements HttpRoute {

    private final BooleanSupplier ready;

    public HealthRoute(BooleanSupplier ready) {
        this.ready = ready;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        switch (path) {
            case "/health/live" -> HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"live\"}");
            case "/health/ready" -> {
                if (ready.getAsBoolean()) {
                    HttpResponses.json(ctx, request, HttpResponseStatus.OK, "{\"status\":\"ready\"}");
                } else {
                    HttpResponses.json(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"not ready\"}");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
