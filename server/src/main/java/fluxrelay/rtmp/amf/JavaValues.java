package fluxrelay.rtmp.amf;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversion of plain Java values to {@link AmfValue}, for the {@code of(...)} factories. */
final class JavaValues {

    private JavaValues() {
    }

    static AmfValue toAmf(Object value) {
        if (value == null) {
            return AmfNull.INSTANCE;
        }
        if (value instanceof AmfValue v) {
            return v;
        }
        if (value instanceof String s) {
            return new AmfString(s);
        }
        if (value instanceof Number n) {
            return new AmfNumber(n.doubleValue());
        }
        if (value instanceof Boolean b) {
            return AmfBoolean.of(b);
        }
        if (value instanceof byte[] bytes) {
            return new AmfByteArray(bytes);
        }
        if (value instanceof Instant instant) {
            return new AmfDate(instant.toEpochMilli(), 0);
        }
        if (value instanceof List<?> list) {
            return new AmfStrictArray(list.stream().map(JavaValues::toAmf).toList());
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, AmfValue> members = new LinkedHashMap<>();
            map.forEach((k, v) -> members.put(key(k), toAmf(v)));
            return new AmfObject(null, members);
        }
        throw new IllegalArgumentException("no AMF form for " + value.getClass().getName());
    }

    /** Members from alternating String keys and convertible values. */
    static Map<String, AmfValue> members(Object... keyValuePairs) {
        if (keyValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "expected key/value pairs, got " + keyValuePairs.length + " arguments");
        }
        Map<String, AmfValue> members = new LinkedHashMap<>();
        for (int i = 0; i < keyValuePairs.length; i += 2) {
            members.put(key(keyValuePairs[i]), toAmf(keyValuePairs[i + 1]));
        }
        return members;
    }

    private static String key(Object key) {
        if (key instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("member names must be Strings, got " + key);
    }
}
