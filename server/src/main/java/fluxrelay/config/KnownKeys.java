package fluxrelay.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Refuses keys under {@code relay} that the server does not read. Without it a typo such as
 * {@code relay.rtmp.prot = 1936} is ignored and the default silently used.
 *
 * <p>Known keys are those of {@code reference.conf} plus the documented per-room keys (and, for the demo room, the
 * optional room keys it honours). Each unknown key is named by its full path, with the nearest known key when one is
 * close enough to be a typo of it.
 */
final class KnownKeys {

    /** The keys of one entry of {@code relay.rooms}. */
    static final Set<String> ROOM_KEYS = Set.of("id", "title", "app", "stream-name", "inputs", "auto-live", "required-mbps",
            "bandwidth-policy", "hls", "viewer-access", "record", "record-start", "dvr-window", "failover-after", "failback-after",
            "failback", "renditions", "ladder");
    /** The keys of one entry of a room's {@code ladder}. */
    static final Set<String> LADDER_KEYS = Set.of("id", "height", "video-kbps", "audio-kbps");
    /** The keys of one entry of a room's {@code renditions}. */
    static final Set<String> RENDITION_KEYS = Set.of("id", "stream-name");
    /** The keys of one entry of a room's {@code inputs}. */
    static final Set<String> INPUT_KEYS = Set.of("id", "stream-name", "role");
    /** Room keys the demo room honours beyond those {@code reference.conf} lists for it. */
    static final Set<String> DEMO_ROOM_EXTRA_KEYS = Set.of("required-mbps", "bandwidth-policy", "hls", "viewer-access",
            "record", "record-start", "dvr-window");

    private final List<String> allPaths = new ArrayList<>();
    private final List<String> unknown = new ArrayList<>();

    private KnownKeys(ConfigObject reference) {
        collect(reference, "relay");
    }

    /**
     * Throws a {@link ConfigException} naming every key under {@code relay} in {@code actual} that {@code reference}
     * (the {@code relay} object of {@code reference.conf}) does not know.
     */
    static void check(ConfigObject actual, ConfigObject reference) {
        KnownKeys keys = new KnownKeys(reference);
        keys.walk(actual, reference, "relay");
        if (!keys.unknown.isEmpty()) {
            throw new ConfigException(String.join("; ", keys.unknown));
        }
    }

    /** As {@link #check(ConfigObject, ConfigObject)} on the {@code relay} objects of two roots. */
    static void check(Config root, Config reference) {
        check(root.getObject("relay"), reference.getObject("relay"));
    }

    private void walk(ConfigObject actual, ConfigObject known, String path) {
        for (var entry : new TreeMap<>(actual).entrySet()) {
            String key = entry.getKey();
            String full = path + "." + key;
            ConfigValue value = entry.getValue();
            if (full.equals("relay.rooms")) {
                rooms(value);
                continue;
            }
            ConfigValue expected = known.get(key);
            if (expected == null) {
                unknown(full, key, known.keySet(), path);
            } else if (full.equals("relay.demo-room") && value instanceof ConfigObject demo) {
                Set<String> allowed = new LinkedHashSet<>(((ConfigObject) expected).keySet());
                allowed.addAll(DEMO_ROOM_EXTRA_KEYS);
                flat(demo, allowed, full);
            } else if (expected instanceof ConfigObject group && value instanceof ConfigObject given) {
                walk(given, group, full);
            }
            // A value of the wrong type is reported by the loader when it reads the key.
        }
    }

    private void rooms(ConfigValue value) {
        if (!(value instanceof ConfigList list)) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof ConfigObject room) {
                String path = "relay.rooms[" + i + "]";
                flat(room, ROOM_KEYS, path);
                if (room.get("inputs") instanceof ConfigList inputs) {
                    for (int j = 0; j < inputs.size(); j++) {
                        if (inputs.get(j) instanceof ConfigObject input) {
                            flat(input, INPUT_KEYS, path + ".inputs[" + j + "]");
                        }
                    }
                }
                if (room.get("ladder") instanceof ConfigList ladder) {
                    for (int j = 0; j < ladder.size(); j++) {
                        if (ladder.get(j) instanceof ConfigObject rung) {
                            flat(rung, LADDER_KEYS, path + ".ladder[" + j + "]");
                        }
                    }
                }
                if (room.get("renditions") instanceof ConfigList renditions) {
                    for (int j = 0; j < renditions.size(); j++) {
                        if (renditions.get(j) instanceof ConfigObject rendition) {
                            flat(rendition, RENDITION_KEYS, path + ".renditions[" + j + "]");
                        }
                    }
                }
            }
        }
    }

    private void flat(ConfigObject object, Set<String> allowed, String path) {
        for (String key : new TreeSet<>(object.keySet())) {
            if (!allowed.contains(key)) {
                unknown(path + "." + key, key, allowed, path);
            }
        }
    }

    private void unknown(String full, String key, Set<String> siblings, String parent) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String sibling : new TreeSet<>(siblings)) {
            int d = distance(key.toLowerCase(Locale.ROOT), sibling);
            if (d < best) {
                best = d;
                nearest = parent + "." + sibling;
            }
        }
        if (best > Math.min(2, key.length() / 3 + 1)) {
            // Not a typo of a neighbour: perhaps the right key in the wrong section.
            nearest = allPaths.stream().filter(p -> p.endsWith("." + key) && !p.equals(full)).findFirst().orElse(null);
        }
        unknown.add(full + ": unknown key" + (nearest == null ? "" : ", did you mean " + nearest + "?"));
    }

    private void collect(ConfigObject object, String path) {
        for (var entry : new TreeMap<>(object).entrySet()) {
            String full = path + "." + entry.getKey();
            allPaths.add(full);
            if (entry.getValue().valueType() == ConfigValueType.OBJECT) {
                collect((ConfigObject) entry.getValue(), full);
            }
        }
    }

    /** Edit distance counting an insertion, a deletion, a substitution or a swap of neighbours as one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
