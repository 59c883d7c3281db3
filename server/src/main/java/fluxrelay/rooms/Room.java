package fluxrelay.rooms;

import java.util.Objects;

/**
 * An event room: the public id viewers use, the FMS app and the one stream name (publish key) bound to it.
 *
 * @param id public id; viewer URLs use it, never the stream name
 * @param title human title
 * @param app the FMS application name of the encoder's URL
 * @param streamName the secret publish key
 * @param autoLive shown to viewers as soon as the publisher starts, without a GO LIVE
 */
public record Room(String id, String title, String app, String streamName, boolean autoLive) {

    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(streamName, "streamName");
        title = title == null ? id : title;
    }

    /** The name viewers play the room by. */
    public String playbackName() {
        return id;
    }

    @Override
    public String toString() {
        return "Room[" + id + "]";
    }
}
