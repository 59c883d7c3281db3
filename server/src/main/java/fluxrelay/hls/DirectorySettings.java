package fluxrelay.hls;

import java.nio.file.Path;

/**
 * Writing segments and playlists to disk as well, one folder per room.
 *
 * @param root the directory (room folders are made inside it)
 * @param keepSegments true: segment files stay when they leave memory (recording); false: they are deleted then
 * @param maxQueuedBytes bytes waiting to be written beyond which new writes are dropped, so a slow disk costs no memory
 */
public record DirectorySettings(Path root, boolean keepSegments, long maxQueuedBytes) {
}
