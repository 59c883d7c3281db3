package fluxrelay.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads top-level scalar fields out of the server's flat JSON bodies (tests only; no JSON library needed). */
public final class JsonFields {

    private JsonFields() {
    }

    /** The string value of {@code field}, or null when absent or not a string. */
    public static String string(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    /** The numeric value of {@code field}; NaN when absent or not a number. */
    public static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\":(-?[0-9.eE+-]+)").matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
