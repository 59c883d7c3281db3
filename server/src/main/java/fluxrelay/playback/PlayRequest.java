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
 */
public record PlayRequest(String app, String room, String feed, ViewerKind kind, String bandwidthToken, String viewer,
                          Measurement detected, boolean detecting) {

    /** A request that carries only a token (HTTP outputs). */
    public static PlayRequest of(String app, String room, ViewerKind kind, String bandwidthToken, String viewer) {
        return new PlayRequest(app, room, null, kind, bandwidthToken, viewer, null, false);
    }
}
