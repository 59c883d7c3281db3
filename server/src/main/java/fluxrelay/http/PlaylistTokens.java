package fluxrelay.http;

/**
 * The tokens an answered HLS playlist writes into every URI it lists, because players do not carry a playlist
 * URL's query over to those URIs (hls.js does not): the bandwidth playback token of an {@code enforce} room and the
 * viewer's access token of a {@code token} room. An empty token is not written.
 *
 * @param bandwidthParameter the bandwidth token's query parameter
 * @param bandwidthToken the playback token, or ""
 * @param accessParameter the access token's query parameter
 * @param accessToken the access token the request was admitted with, or ""
 */
record PlaylistTokens(String bandwidthParameter, String bandwidthToken, String accessParameter, String accessToken) {

    /** True when the playlist carries a token: it is then the viewer's own (private to caches). */
    boolean any() {
        return !bandwidthToken.isEmpty() || !accessToken.isEmpty();
    }

    /** {@code playlist} with the tokens added to every URI it lists. */
    String writeInto(String playlist) {
        String text = playlist;
        if (!bandwidthToken.isEmpty()) {
            text = HlsBandwidth.withToken(text, bandwidthParameter, bandwidthToken);
        }
        if (!accessToken.isEmpty()) {
            text = HlsBandwidth.withToken(text, accessParameter, accessToken);
        }
        return text;
    }
}
