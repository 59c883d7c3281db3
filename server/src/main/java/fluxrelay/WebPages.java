package fluxrelay;

import fluxrelay.admin.AdminException;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.config.WebConfig;
import fluxrelay.http.HttpRoute;
import fluxrelay.web.PublicRoomRoute;
import fluxrelay.web.WebRoute;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/** Wires the console and watch page ({@code relay.web}) to the room operations: their routes, or none when off. */
final class WebPages {

    private WebPages() {
    }

    /**
     * @param hls whether HLS is served (the watch page plays it)
     * @param accessParameter the viewer access token's query parameter
     * @param bandwidthParameter the bandwidth token's query parameter
     * @param rtmpPort the bound RTMP port, read at each request
     */
    static List<HttpRoute> routes(WebConfig web, RoomAdmin admin, boolean hls, String accessParameter, String bandwidthParameter,
                                  IntSupplier rtmpPort) {
        if (!web.enabled()) {
            return List.of();
        }
        return List.of(new WebRoute(web.frameAncestors()),
                new PublicRoomRoute(id -> view(admin, id), new PublicRoomRoute.Offer(hls, accessParameter, bandwidthParameter, rtmpPort)));
    }

    private static Map<String, Object> view(RoomAdmin admin, String id) {
        try {
            return admin.get(id);
        } catch (AdminException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }
}
