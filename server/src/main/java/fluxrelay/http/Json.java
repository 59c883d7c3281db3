package fluxrelay.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** JSON string quoting for the few hand-built JSON bodies (Jackson's encoder does the escaping). */
public final class Json {

    private Json() {
    }

    /** The value as a JSON string literal, quotes included; null gives {@code null}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
    }
}
