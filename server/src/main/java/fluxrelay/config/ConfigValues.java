package fluxrelay.config;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads one checked value from the configuration (a number in a range, a size, a duration, one of a list, a name),
 * with an error naming the key: the checks {@link ConfigLoader} and the other readers of this package share.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    static double mbps(Config c, String p, String key) {
        double v;
        try {
            v = c.getDouble(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(p + key + ": must be a number of Mbit/s (" + e.getMessage() + ")");
        }
        if (!(v >= BandwidthConfig.MIN_MBPS && v <= BandwidthConfig.MAX_MBPS)) {
            throw new ConfigException(p + key + ": must be between " + BandwidthConfig.MIN_MBPS + " and 100000 Mbit/s, got " + v);
        }
        return v;
    }

    /** The value of {@code key} as one of {@code type}'s constants, named in any case; the error lists them. */
    static <E extends Enum<E>> E oneOf(Config c, String p, String key, Class<E> type) {
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        return type.getEnumConstants()[allowed.indexOf(oneOf(c, p, key, allowed))];
    }

    /** The value of {@code key}, lower-cased, which must be one of {@code allowed}; the error lists them. */
    static String oneOf(Config c, String p, String key, List<String> allowed) {
        String raw = c.getString(key);
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            String list = allowed.size() == 1 ? allowed.get(0)
                    : String.join(", ", allowed.subList(0, allowed.size() - 1)) + " or " + allowed.get(allowed.size() - 1);
            throw new ConfigException(p + key + ": must be " + list + ", got '" + raw + "'");
        }
        return v;
    }

    /** {@link #oneOf(Config, String, String, Class)} for an optional key: null when absent. */
    static <E extends Enum<E>> E optional(Config c, String p, String key, Class<E> type) {
        return c.hasPath(key) ? oneOf(c, p, key, type) : null;
    }

    /** A size in bytes, zero or more. */
    static long bytes(Config c, String p, String key) {
        try {
            long v = c.getBytes(key);
            if (v < 0) {
                throw new ConfigException(p + key + ": must not be negative, got " + v);
            }
            return v;
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(p + key + ": must be a size in bytes such as 500MiB (" + e.getMessage() + ")");
        }
    }

    static String requireString(Config c, String path, String key) {
        if (!c.hasPath(key)) {
            throw new ConfigException(path + "." + key + ": missing");
        }
        return c.getString(key);
    }

    static String name(Config c, String path, String key) {
        String v = requireString(c, path, key);
        if (!ConfigLoader.NAME.matcher(v).matches()) {
            throw new ConfigException(path + "." + key + ": '" + v
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return v;
    }

    static String host(Config c, String p) {
        String v = c.getString("host");
        if (v.isBlank()) {
            throw new ConfigException(p + "host: must not be empty");
        }
        return v;
    }

    static int port(Config c, String p) {
        return intIn(c, p, "port", 0, 65535);
    }

    static int intIn(Config c, String p, String key, int min, int max) {
        int v;
        try {
            v = c.getInt(key);
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(p + key + ": must be a whole number (" + e.getMessage() + ")");
        }
        if (v < min || v > max) {
            throw new ConfigException(p + key + ": must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    static long longIn(Config c, String p, String key, long min, long max) {
        long v = c.getLong(key);
        if (v < min || v > max) {
            throw new ConfigException(p + key + ": must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    static int sizeIn(Config c, String p, String key, long min, long max) {
        long v;
        try {
            v = c.getBytes(key);
        } catch (com.typesafe.config.ConfigException.BadValue | com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(p + key + ": must be between " + min + " and " + max + " bytes (" + e.getMessage() + ")");
        }
        if (v < min || v > max) {
            throw new ConfigException(p + key + ": must be between " + min + " and " + max + " bytes, got " + v);
        }
        return (int) v;
    }

    static Duration positive(Config c, String p, String key) {
        Duration d = c.getDuration(key);
        if (d.isNegative() || d.isZero()) {
            throw new ConfigException(p + key + ": must be a positive duration, got " + d);
        }
        return d;
    }
}
