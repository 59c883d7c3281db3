package fluxrelay.config;

import java.security.SecureRandom;

/** Stream names (publish keys): strong random generation and the syntax the server accepts. */
public final class StreamNames {

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

    /** True for 1 to 256 printable ASCII characters without '/', '?', '#', '&' or spaces. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > 256) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= ' ' || ch >= 0x7f || ch == '/' || ch == '?' || ch == '#' || ch == '&') {
                return false;
            }
        }
        return true;
    }
}
