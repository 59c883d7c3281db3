package fluxrelay.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the parts of a {@code relay.rooms} entry added after {@link ConfigLoader} reached its size: its renditions and
 * its server-side ladder, with the server's {@code relay.ladder} settings.
 */
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

    /** The lowest and highest rung heights accepted, lines. */
    static final int MIN_HEIGHT = LadderRungConfig.MIN_HEIGHT;
    static final int MAX_HEIGHT = LadderRungConfig.MAX_HEIGHT;

    /** {@code relay.ladder}: the ladder processes' settings. */
    static LadderConfig ladderSettings(Config c) {
        String p = "relay.ladder.";
        Config l = c.getConfig("ladder");
        String ffmpeg = l.getString("ffmpeg").trim();
        if (ffmpeg.isEmpty()) {
            throw new ConfigException(p + "ffmpeg: must name the ffmpeg executable (a name in PATH or a path)");
        }
        java.time.Duration min = ConfigValues.positive(l, p, "restart-backoff.min");
        java.time.Duration max = ConfigValues.positive(l, p, "restart-backoff.max");
        if (max.compareTo(min) < 0) {
            throw new ConfigException(p + "restart-backoff.max: must not be below restart-backoff.min (" + min + "), got " + max);
        }
        String preset = ConfigValues.oneOf(l, p, "preset", List.of("ultrafast", "superfast", "veryfast", "faster", "fast",
                "medium"));
        return new LadderConfig(ffmpeg, ConfigValues.intIn(l, p, "max-processes", 1, 1000), min, max, preset);
    }

    /**
     * A room's {@code ladder = [ { id, height, video-kbps, audio-kbps } ]}, empty when not set.
     *
     * @param path the room's path, for messages ({@code relay.rooms[2]})
     */
    static List<LadderRungConfig> ladder(String path, Config r) {
        if (!r.hasPath("ladder")) {
            return List.of();
        }
        List<? extends Config> declared;
        try {
            declared = r.getConfigList("ladder");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path + ".ladder: must be a list of { id, height, video-kbps, audio-kbps } objects");
        }
        List<LadderRungConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            Config one = declared.get(i);
            String rp = path + ".ladder[" + i + "]";
            String id = ConfigValues.requireString(one, rp, "id");
            if (!RENDITION_ID.matcher(id).matches()) {
                throw new ConfigException(rp + ".id: '" + id + "' must be 1 to 32 lower-case letters, digits or '-', "
                        + "starting with a letter or digit (for example 360p)");
            }
            if (!ids.add(id)) {
                throw new ConfigException(rp + ".id: rendition id '" + id + "' is declared twice in the room's ladder");
            }
            ConfigValues.requireString(one, rp, "height");
            int height = ConfigValues.intIn(one, rp + ".", "height", MIN_HEIGHT, MAX_HEIGHT);
            if (height % 2 != 0) {
                throw new ConfigException(rp + ".height: must be even (H.264 4:2:0 pictures have even sizes), got " + height);
            }
            ConfigValues.requireString(one, rp, "video-kbps");
            int video = ConfigValues.intIn(one, rp + ".", "video-kbps", LadderRungConfig.MIN_VIDEO_KBPS,
                    LadderRungConfig.MAX_VIDEO_KBPS);
            int audio = one.hasPath("audio-kbps") ? ConfigValues.intIn(one, rp + ".", "audio-kbps",
                    LadderRungConfig.MIN_AUDIO_KBPS, LadderRungConfig.MAX_AUDIO_KBPS) : DEFAULT_AUDIO_KBPS;
            out.add(new LadderRungConfig(id, height, video, audio));
        }
        return out;
    }

    /** A rung's AAC rate when it names none, kbit/s (documented in reference.conf). */
    static final int DEFAULT_AUDIO_KBPS = LadderRungConfig.DEFAULT_AUDIO_KBPS;

    /** No rendition stream name of {@code room} is among {@code keys} ({@code app/stream-name}, filled as it goes). */
    static void checkUnique(RoomConfig room, Set<String> keys) {
        for (LadderRungConfig rung : room.ladder()) {
            if (room.renditions().stream().anyMatch(r -> r.id().equals(rung.id()))) {
                throw new ConfigException("relay.rooms: room '" + room.id() + "': ladder rung '" + rung.id()
                        + "' has the id of one of its renditions; a rendition is either sent by an encoder or made by the ladder");
            }
        }
        for (RenditionInputConfig rendition : room.renditions()) {
            if (!keys.add(room.app() + "/" + rendition.streamName())) {
                throw new ConfigException("relay.rooms: room '" + room.id() + "' (rendition '" + rendition.id()
                        + "') reuses the stream name of another room, input or rendition in app '" + room.app() + "'");
            }
        }
    }
}
