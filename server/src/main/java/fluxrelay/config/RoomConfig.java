package fluxrelay.config;

/**
 * One room as declared in {@code relay.rooms} (or the demo room).
 *
 * @param id public id, used in viewer URLs
 * @param title human title
 * @param app the FMS application name in the encoder's URL
 * @param streamName the publish key bound to the room (secret)
 * @param autoLive shown to viewers as soon as the publisher starts
 */
public record RoomConfig(String id, String title, String app, String streamName, boolean autoLive) {

    @Override
    public String toString() {
        // The stream name is a secret: never printed by accident.
        return "RoomConfig[id=" + id + ", title=" + title + ", app=" + app + ", autoLive=" + autoLive + "]";
    }
}
