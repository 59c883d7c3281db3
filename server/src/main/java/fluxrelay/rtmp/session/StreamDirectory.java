package fluxrelay.rtmp.session;

import fluxrelay.rooms.Room;
import fluxrelay.stream.LiveStream;

/** Finds the hub of a room: the one thing sessions need of the stream registry. */
@FunctionalInterface
public interface StreamDirectory {

    /** The room's live stream hub, made on first use. */
    LiveStream streamFor(Room room);
}
