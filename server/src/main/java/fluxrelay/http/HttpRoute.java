package fluxrelay.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** One HTTP endpoint family; the router asks each in turn whether it takes a request. */
public interface HttpRoute {

    /**
     * Handles the request if the path is this route's; returns false to let the next route try.
     * The router releases the request afterwards; a route that keeps it must retain it.
     *
     * @param path the decoded, normalised path (no query, no {@code ..} segments)
     */
    boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path);
}
