package fluxrelay.logging;

/**
 * Client-supplied text made safe for one log line: control characters (CR, LF, ESC, NUL, C1), Unicode line
 * separators and bidirectional overrides are escaped as {@code \xNN} or {@code \\uNNNN}, and the text is cut to a
 * bound with the count of what was left out, so that a 64 KiB command name costs a line of about a hundred
 * characters and no client can start a line of its own.
 */
public final class LogText {

    /** The default bound: enough for any real command, application or stream name. */
    public static final int DEFAULT_MAX = 80;

    private LogText() {
    }

    /** {@code text} escaped and cut to {@link #DEFAULT_MAX} characters; "null" for null. */
    public static String of(String text) {
        return of(text, DEFAULT_MAX);
    }

    /** {@code text} escaped and cut to {@code max} characters of the original; "null" for null. */
    public static String of(String text, int max) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), max);
        StringBuilder out = null;
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(shown + 16).append(text, 0, i);
                }
                if (c < 0x100) {
                    out.append(String.format("\\x%02x", (int) c));
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        String safe = out == null ? text.substring(0, shown) : out.toString();
        return shown < text.length() ? safe + "...(" + (text.length() - shown) + " more)" : safe;
    }

    /** True for characters that could end, hide or reorder a log line, or drive a terminal. */
    static boolean unsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\'
                || c == 0x2028 || c == 0x2029 || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }
}
