package fluxrelay.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/** Reads the parts of a {@code relay.rooms} entry added after {@link ConfigLoader} reached its size: its renditions. */
final class RoomConfigs {

    /** The form of a rendition id, as of an input id. */
    private static final Pattern RENDITION_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private RoomConfigs() {
    }

    /**
     * A room's {@code renditions = [ { id, stream-name } ]}, empty when not set.
     *
     * @param path the room's path, for messages ({@code relay.rooms[2]})
     * @param streamName checks a stream name given at a key (and notes it for the uniqueness checks); returns it
     */
    static List<RenditionInputConfig> renditions(String path, Config r, BiFunction<String, String, String> streamName) {
        if (!r.hasPath("renditions")) {
            return List.of();
        }
        List<? extends Config> declared;
        try {
            declared = r.getConfigList("renditions");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path + ".renditions: must be a list of { id, stream-name } objects");
        }
        List<RenditionInputConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            Config one = declared.get(i);
            String rp = path + ".renditions[" + i + "]";
            if (!one.hasPath("id")) {
                throw new ConfigException(rp + ".id: missing");
            }
            String id = one.getString("id");
            if (!RENDITION_ID.matcher(id).matches()) {
                throw new ConfigException(rp + ".id: '" + id + "' must be 1 to 32 lower-case letters, digits or '-', "
                        + "starting with a letter or digit (for example 480p)");
            }
            if (!ids.add(id)) {
                throw new ConfigException(rp + ".id: rendition id '" + id + "' is declared twice in the room");
            }
            if (!one.hasPath("stream-name")) {
                throw new ConfigException(rp + ".stream-name: missing");
            }
            out.add(new RenditionInputConfig(id, streamName.apply(one.getString("stream-name"), rp + ".stream-name")));
        }
        return out;
    }

    /** No rendition stream name of {@code room} is among {@code keys} ({@code app/stream-name}, filled as it goes). */
    static void checkUnique(RoomConfig room, Set<String> keys) {
        for (RenditionInputConfig rendition : room.renditions()) {
            if (!keys.add(room.app() + "/" + rendition.streamName())) {
                throw new ConfigException("relay.rooms: room '" + room.id() + "' (rendition '" + rendition.id()
                        + "') reuses the stream name of another room, input or rendition in app '" + room.app() + "'");
            }
        }
    }
}
