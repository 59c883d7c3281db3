package fluxrelay.hls;

/**
 * A room's playlists as served at one moment: rendered once per change, read by any number of requests.
 *
 * @param master the multivariant (master) playlist text
 * @param media the media playlist text
 * @param masterTag entity tag of the master playlist (quoted, for ETag)
 * @param mediaTag entity tag of the media playlist
 * @param lastModified when the media playlist last changed, epoch ms
 * @param view the state the media playlist was rendered from
 */
public record Playlists(String master, String media, String masterTag, String mediaTag, long lastModified, PlaylistView view) {
}
