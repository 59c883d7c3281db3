package fluxrelay.rtmp.amf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The value model: conversions, getters, immutability and log rendering. */
class AmfValueTest {

    @Test
    void convertsJavaValues() {
        assertSame(AmfNull.INSTANCE, AmfValue.of(null));
        assertEquals(new AmfString("a"), AmfValue.of("a"));
        assertEquals(new AmfNumber(3), AmfValue.of(3));
        assertEquals(new AmfNumber(2.5), AmfValue.of(2.5f));
        assertSame(AmfBoolean.TRUE, AmfValue.of(true));
        assertEquals(new AmfByteArray(new byte[] {1}), AmfValue.of(new byte[] {1}));
        assertEquals(new AmfDate(1000, 0), AmfValue.of(Instant.ofEpochSecond(1)));
        assertEquals(AmfStrictArray.of(1, "x"), AmfValue.of(List.of(1, "x")));
        assertEquals(AmfObject.of("k", 1), AmfValue.of(Map.of("k", 1)));
        AmfValue same = new AmfXml("<a/>");
        assertSame(same, AmfValue.of(same));
        assertThrows(IllegalArgumentException.class, () -> AmfValue.of(new Object()));
        assertThrows(IllegalArgumentException.class, () -> AmfObject.of("odd"));
        assertThrows(IllegalArgumentException.class, () -> AmfEcmaArray.of(1, 2));
    }

    @Test
    void gettersNeverThrowForAbsentOrMistypedMembers() {
        AmfObject o = AmfObject.of("code", "NetStream.Publish.Start", "n", 5, "nothing", null);
        assertEquals("NetStream.Publish.Start", o.getString("code"));
        assertNull(o.getString("n"));
        assertNull(o.getString("missing"));
        assertEquals(5, o.getNumber("n"));
        assertTrue(Double.isNaN(o.getNumber("code")));
        assertTrue(Double.isNaN(o.getNumber("missing")));
        assertNull(o.get("missing"));
        assertSame(AmfNull.INSTANCE, o.get("nothing"));
        assertTrue(o.has("nothing"));
        assertNull(new AmfNumber(1).asString());
        assertTrue(Double.isNaN(new AmfString("1").asNumber()));
        assertNull(AmfEcmaArray.of().asObject());
        assertSame(o, o.asObject());
        AmfMap metadata = AmfEcmaArray.of("width", 1280);
        assertEquals(1280, metadata.getNumber("width"));
    }

    @Test
    void valuesAreImmutable() {
        Map<String, AmfValue> source = new LinkedHashMap<>();
        source.put("a", AmfNull.INSTANCE);
        AmfObject o = new AmfObject(source);
        source.put("b", AmfNull.INSTANCE);
        assertEquals(1, o.size());
        assertThrows(UnsupportedOperationException.class, () -> o.entries().put("c", AmfNull.INSTANCE));
        assertThrows(UnsupportedOperationException.class, () -> AmfEcmaArray.of("a", 1).entries().clear());
        assertThrows(UnsupportedOperationException.class, () -> AmfStrictArray.of(1).items().add(AmfNull.INSTANCE));
        byte[] bytes = {1, 2};
        AmfByteArray b = new AmfByteArray(bytes);
        bytes[0] = 9;
        b.bytes()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, b.bytes());
        AmfObject with = o.with("b", 2);
        assertEquals(1, o.size());
        assertEquals(List.of("a", "b"), List.copyOf(with.entries().keySet()));
        assertThrows(NullPointerException.class, () -> new AmfString(null));
    }

    @Test
    void equalityIsByContent() {
        assertEquals(new AmfByteArray(new byte[] {1}), new AmfByteArray(new byte[] {1}));
        assertEquals(new AmfByteArray(new byte[] {1}).hashCode(), new AmfByteArray(new byte[] {1}).hashCode());
        assertEquals(new AmfNumber(Double.NaN), new AmfNumber(Double.NaN));
        assertNotEquals(new AmfNumber(0.0), new AmfNumber(-0.0));
        assertNotEquals(AmfObject.of("a", 1), AmfObject.typed("A", "a", 1));
        assertNotEquals(AmfObject.of("a", 1), AmfEcmaArray.of("a", 1));
        assertEquals(AmfObject.EMPTY, new AmfObject("", Map.of()));
    }

    @Test
    void vectorsCheckTheirItems() {
        assertThrows(IllegalArgumentException.class,
                () -> new AmfVector(AmfVector.Kind.INT, false, null, List.of(new AmfString("x"))));
        assertThrows(IllegalArgumentException.class,
                () -> new AmfVector(AmfVector.Kind.INT, false, null, List.of(new AmfNumber(1.5))));
        assertThrows(IllegalArgumentException.class,
                () -> new AmfVector(AmfVector.Kind.UINT, false, null, List.of(new AmfNumber(-1))));
        assertNull(new AmfVector(AmfVector.Kind.DOUBLE, false, "ignored", List.of()).typeName());
        assertEquals("", new AmfVector(AmfVector.Kind.OBJECT, false, null, List.of()).typeName());
    }

    @Test
    void rendersForLogs() {
        assertEquals("{level: 'status', code: 'NetStream.Publish.Start'}",
                AmfObject.of("level", "status", "code", "NetStream.Publish.Start").toString());
        assertEquals("Point{x: 1, y: -2.5}", AmfObject.typed("Point", "x", 1, "y", -2.5).toString());
        assertEquals("ECMA[a: null, b: undefined, c: unsupported]",
                AmfEcmaArray.of("a", null, "b", AmfUndefined.INSTANCE, "c", AmfUnsupported.INSTANCE).toString());
        assertEquals("[true, false, NaN, -0.0, 1.0E20]",
                AmfStrictArray.of(true, false, Double.NaN, -0.0, 1e20).toString());
        assertEquals("'it\\'s\\n\\x01'", new AmfString("it's\n\u0001").toString());
        assertEquals("{'two words': 1, '': 2}", AmfObject.of("two words", 1, "", 2).toString());
        assertEquals("Date(2023-11-14T22:13:20Z)", new AmfDate(1.7e12, 0).toString());
        assertEquals("Date(2023-11-14T22:13:20Z, tz=-60)", new AmfDate(1.7e12, -60).toString());
        assertEquals("ByteArray(3: 0a0bff)", new AmfByteArray(new byte[] {10, 11, -1}).toString());
        assertEquals("XMLDocument('<a/>')", new AmfXmlDocument("<a/>").toString());
        assertEquals("XML('<a/>')", new AmfXml("<a/>").toString());
        assertEquals("Vector.<int>(fixed)[1]",
                new AmfVector(AmfVector.Kind.INT, true, null, List.of(new AmfNumber(1))).toString());
        assertEquals("Dictionary{'k' => 1}", new AmfDictionary(false,
                List.of(new AmfDictionary.Entry(new AmfString("k"), new AmfNumber(1)))).toString());
    }

    @Test
    void renderingIsBounded() {
        String longText = new AmfString("x".repeat(10_000)).toString();
        assertTrue(longText.length() < 250, longText);
        assertTrue(longText.endsWith("...(+9800 chars)"), longText);
        String manyItems = AmfStrictArray.of(new Object[1000]).toString();
        assertTrue(manyItems.endsWith(", ...(+936)]"), manyItems);
        assertTrue(new AmfByteArray(new byte[1000]).toString().endsWith("...)"));
    }

    @Test
    void limitsAreValidated() {
        assertEquals(new AmfLimits(32, 1 << 20, 65_536, 16L << 20), AmfLimits.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> new AmfLimits(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AmfLimits(AmfLimits.DEPTH_CEILING + 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AmfLimits(1, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AmfLimits(1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new AmfLimits(1, 100, 1, 99));
        assertThrows(IllegalArgumentException.class, () -> new AmfDate(0, 40_000));
    }
}
