package fluxrelay.rtmp.amf;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The log rendering shared by the values' {@code toString()}: one line, bounded length, so peer
 * data can be logged without flooding or breaking lines.
 */
final class AmfText {

    /** Longest string shown before it is cut. */
    static final int MAX_CHARS = 200;
    /** Most members or items shown per container. */
    static final int MAX_ITEMS = 64;
    private static final int MAX_HEX_BYTES = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AmfText() {
    }

    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static String quote(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 2).append('\'');
        int shown = Math.min(s.length(), MAX_CHARS);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('\'');
        if (s.length() > shown) {
            out.append("...(+").append(s.length() - shown).append(" chars)");
        }
        return out.toString();
    }

    static String members(String open, Map<String, AmfValue> members, String close) {
        StringBuilder out = new StringBuilder(open);
        Iterator<Map.Entry<String, AmfValue>> it = members.entrySet().iterator();
        for (int i = 0; it.hasNext(); i++) {
            if (i == MAX_ITEMS) {
                out.append(", ...(+").append(members.size() - i).append(')');
                break;
            }
            Map.Entry<String, AmfValue> e = it.next();
            out.append(i == 0 ? "" : ", ").append(name(e.getKey())).append(": ").append(e.getValue());
        }
        return out.append(close).toString();
    }

    static String items(String open, List<?> items, String close) {
        StringBuilder out = new StringBuilder(open);
        for (int i = 0; i < items.size(); i++) {
            if (i == MAX_ITEMS) {
                out.append(", ...(+").append(items.size() - i).append(')');
                break;
            }
            out.append(i == 0 ? "" : ", ").append(items.get(i));
        }
        return out.append(close).toString();
    }

    static String hex(byte[] bytes) {
        int shown = Math.min(bytes.length, MAX_HEX_BYTES);
        StringBuilder out = new StringBuilder(shown * 2 + 16);
        for (int i = 0; i < shown; i++) {
            out.append(HEX[(bytes[i] >> 4) & 0xF]).append(HEX[bytes[i] & 0xF]);
        }
        if (bytes.length > shown) {
            out.append("...");
        }
        return out.toString();
    }

    /** Plain names print bare, as encoders' logs show them; odd ones quoted. */
    private static String name(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c == '\'' || c == '\\' || c == ':' || c == ',' || c == 0x7F) {
                return quote(key);
            }
        }
        return key.isEmpty() || key.length() > MAX_CHARS ? quote(key) : key;
    }
}
