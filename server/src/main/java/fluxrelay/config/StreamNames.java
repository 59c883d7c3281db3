package fluxrelay.config;

import java.security.SecureRandom;
import java.util.Collection;

/**
 * Stream names (publish keys): strong random generation and the one rule every source of a key obeys (the
 * config file, the environment, the admin API and the rooms file), so a key refused in one place is never
 * accepted in another.
 */
public final class StreamNames {

    /** Fewest characters of a stream name: short keys can be guessed. */
    public static final int MIN_LENGTH = 16;
    /** Most characters of a stream name. */
    public static final int MAX_LENGTH = 256;

    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private StreamNames() {
    }

    /** A new 24-character key from a 32-letter alphabet without look-alikes: 120 bits of entropy. */
    public static String generate() {
        char[] out = new char[24];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** True for a room id or app name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static boolean isValidId(String id) {
        return id != null && ConfigLoader.NAME.matcher(id).matches();
    }

    /** True for a name that {@link #problem(String)} accepts. */
    public static boolean isValid(String name) {
        return problem(name) == null;
    }

    /**
     * Why {@code name} cannot be a stream name, or null when it can: 16 to 256 printable ASCII characters without
     * spaces, '/', '?', '#' or '&amp;' (they would split the RTMP URL or its query).
     */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a stream name is required";
        }
        if (name.length() > MAX_LENGTH) {
            return "a stream name is at most " + MAX_LENGTH + " characters, got " + name.length();
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '?' || ch == '#' || ch == '&') {
                return "a stream name is printable ASCII without spaces, '/', '?', '#' or '&'";
            }
        }
        if (name.length() < MIN_LENGTH) {
            return "a stream name must be at least " + MIN_LENGTH + " characters so it cannot be guessed, got "
                    + name.length();
        }
        return null;
    }

    /**
     * {@link #problem(String)}, and also refused when the name equals a room id: viewers play a room by its id,
     * so such a key would be printed in every public playback URL.
     */
    public static String problem(String name, Collection<String> roomIds) {
        String problem = problem(name);
        if (problem == null && roomIds.contains(name)) {
            return "a stream name must not equal a room id ('" + name + "'): viewers play rooms by id, so the key would be public";
        }
        return problem;
    }
}
