package fluxrelay.stream;

/**
 * What a subscriber learns when a stream becomes visible to it.
 *
 * @param roomId the room's public id
 * @param afterWait true when the subscriber was attached while the room was not visible and waited for
 *     this start (a publish began, a publisher reconnected, or the room went live); false when the room was
 *     already visible as it subscribed
 */
public record StreamStart(String roomId, boolean afterWait) {
}
