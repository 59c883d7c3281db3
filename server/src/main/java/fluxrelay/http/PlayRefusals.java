package fluxrelay.http;

import fluxrelay.access.AccessRefusal;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.playback.PlayDecision;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;

/** The HTTP form of the playback service's refusals, shared by every HTTP output (HTTP-FLV, HLS, LL-HLS). */
final class PlayRefusals {

    private PlayRefusals() {
    }

    /**
     * Answers an access token refusal: 401 when the URL has no token, 403 when it is not valid for the room, with
     * JSON naming what is wrong ({@code {"error": "...", "reason": "expired"}}) that browser players may read.
     */
    static void deny(ChannelHandlerContext ctx, FullHttpRequest request, PlayDecision.Denied denied, String accessParameter) {
        AccessRefusal reason = denied.reason();
        HttpResponseStatus status = reason == AccessRefusal.MISSING ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.FORBIDDEN;
        String json = "{\"error\":" + Json.quote(reason.message(accessParameter)) + ",\"reason\":"
                + Json.quote(reason.label()) + "}";
        HttpResponses.json(ctx, request, status, json, HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** The client's IP address as text, for access tokens bound to one; null when unknown. */
    static String address(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : null;
    }

    /** The request's bandwidth token ({@code ?parameter=}), or null. */
    static String token(FullHttpRequest request, String parameter) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(parameter);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * Answers a decision other than admitted: 404 for no such room, 503 for a full room, 403 with JSON figures
     * for a bandwidth refusal, 401 or 403 for an access token refusal ({@link #deny}).
     *
     * @param where where the token goes, in the hint of an unmeasured refusal ("as ?", "to the playlist URL as ?")
     * @param accessParameter the query parameter of access tokens, named in the hint of a missing one
     */
    static void answer(ChannelHandlerContext ctx, FullHttpRequest request, PlayDecision decision, String parameter,
                       String where, String accessParameter) {
        if (decision instanceof PlayDecision.Denied denied) {
            deny(ctx, request, denied, accessParameter);
        } else if (decision instanceof PlayDecision.Refused refused) {
            BandwidthVerdict verdict = refused.verdict();
            String error = refused.cause() == PlayDecision.Cause.UNMEASURED
                    ? "This room needs a passed bandwidth check: run the probe and add its token " + where + parameter + "=."
                    : "Your connection is too slow for this stream: " + verdict.figures() + ".";
            HttpResponses.json(ctx, request, HttpResponseStatus.FORBIDDEN, ProbeJson.refusal(error, verdict,
                    refused.requiredBitsPerSecond(), BandwidthProbeRoute.PREFIX + refused.room().id()));
        } else if (decision instanceof PlayDecision.NoSuchRendition missing) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, missing.description());
        } else if (decision instanceof PlayDecision.Full) {
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "This room is full: try again later.");
        } else {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room.");
        }
    }
}
