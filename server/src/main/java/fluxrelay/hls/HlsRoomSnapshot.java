package fluxrelay.hls;

/**
 * A room's HLS figures at one moment, for metrics and the admin API.
 *
 * @param roomId the room
 * @param segmentsProduced segments finished since the server started
 * @param bytesProduced their bytes
 * @param segmentsListed segments in the live playlist
 * @param bytesListed their bytes
 * @param segmentsHeld segments in memory (listed, and recently unlisted ones kept for late readers)
 * @param memoryHeld bytes of memory those segments take
 * @param targetDuration the playlist's EXT-X-TARGETDURATION, s
 * @param ended the playlist carries EXT-X-ENDLIST
 * @param framesSkipped frames left out (before the first keyframe, codecs HLS cannot carry, malformed)
 * @param diskFailures segment or playlist writes to the directory that failed or were dropped
 */
public record HlsRoomSnapshot(String roomId, long segmentsProduced, long bytesProduced, int segmentsListed, long bytesListed,
                              int segmentsHeld, long memoryHeld, int targetDuration, boolean ended, long framesSkipped,
                              long diskFailures) {
}
