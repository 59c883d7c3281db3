package fluxrelay.playback;

import fluxrelay.bandwidth.Measurement;

/**
 * A viewer asks to watch.
 *
 * @param app the FMS application of the URL, or null where URLs name the room alone (HLS)
 * @param room the room's playback name (its public id)
 * @param feed the feed asked for, or null for the room's main feed
 * @param kind what kind of viewer asks
 * @param bandwidthToken the probe or playback token the URL carries, or null
 * @param viewer who asks, for logs and verdicts (an address; for HLS the client key of address and agent)
 * @param detected the connection's own bandwidth measurement, or null
 * @param detecting a measurement of the connection is running now
 * @param accessToken the viewer access token the URL carries, or null (never logged)
 * @param address the client's IP address as text, for tokens bound to one, or null when unknown
 * @param rendition the quality rendition of the room's program asked for ({@code ?rendition=240p}, or the HLS path
 *     {@code /r/240p/}), or null for the program itself
 */
public record PlayRequest(String app, String room, String feed, ViewerKind kind, String bandwidthToken, String viewer,
                          Measurement detected, boolean detecting, String accessToken, String address, String rendition) {

    /** The query parameter (RTMP play name, HTTP-FLV URL) a viewer names a rendition by. */
    public static final String RENDITION_PARAMETER = "rendition";

    /** A request for the program or an input, not a rendition. */
    public PlayRequest(String app, String room, String feed, ViewerKind kind, String bandwidthToken, String viewer,
                       Measurement detected, boolean detecting, String accessToken, String address) {
        this(app, room, feed, kind, bandwidthToken, viewer, detected, detecting, accessToken, address, null);
    }

    /** A request without an access token. */
    public PlayRequest(String app, String room, String feed, ViewerKind kind, String bandwidthToken, String viewer,
                       Measurement detected, boolean detecting) {
        this(app, room, feed, kind, bandwidthToken, viewer, detected, detecting, null, null);
    }

    /** A request that carries only a bandwidth token (HTTP outputs). */
    public static PlayRequest of(String app, String room, ViewerKind kind, String bandwidthToken, String viewer) {
        return new PlayRequest(app, room, null, kind, bandwidthToken, viewer, null, false);
    }

    /** This request with the access token its URL carries and the client's address. */
    public PlayRequest withAccess(String token, String clientAddress) {
        return new PlayRequest(app, room, feed, kind, bandwidthToken, viewer, detected, detecting, token, clientAddress,
                rendition);
    }

    /** This request for the rendition {@code id} of the room's program (null or empty: the program itself). */
    public PlayRequest withRendition(String id) {
        return new PlayRequest(app, room, feed, kind, bandwidthToken, viewer, detected, detecting, accessToken, address,
                id == null || id.isEmpty() ? null : id);
    }

    @Override
    public String toString() {
        // The tokens are the viewer's credentials: never printed.
        return "PlayRequest[app=" + app + ", room=" + room + ", feed=" + feed + ", kind=" + kind.label() + ", viewer=" + viewer
                + ", detecting=" + detecting + (rendition == null ? "" : ", rendition=" + rendition) + "]";
    }
}
