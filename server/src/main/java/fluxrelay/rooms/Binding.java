package fluxrelay.rooms;

/**
 * What a stream name is bound to: a room and the one of its feeds that the name publishes into.
 *
 * @param room the room
 * @param feed the feed of {@code room} the name belongs to
 */
public record Binding(Room room, Feed feed) {
}
