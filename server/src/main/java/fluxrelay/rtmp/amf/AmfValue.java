package fluxrelay.rtmp.amf;

/**
 * One AMF value, as decoded from AMF0 or AMF3 or built by command code. All implementations are
 * immutable and compare by content; {@code toString()} gives a compact, single-line rendering for
 * logs (strings quoted, long content shortened).
 *
 * <p>How AMF3-only types map: the AMF3 integer becomes an {@link AmfNumber} (the AMF3 writer picks
 * the integer encoding again for integral values in the 29-bit range); an AMF3 array with only a
 * dense part is an {@link AmfStrictArray}, one with an associative part an {@link AmfEcmaArray}
 * (dense elements follow under the keys "0", "1", ...); sealed and dynamic object members both land
 * in {@link AmfObject#entries()}, in wire order; vectors are {@link AmfVector}, dictionaries
 * {@link AmfDictionary}, E4X XML {@link AmfXml}.
 */
public sealed interface AmfValue
        permits AmfNumber, AmfBoolean, AmfString, AmfNull, AmfUndefined, AmfUnsupported, AmfMap,
                AmfStrictArray, AmfDate, AmfXmlDocument, AmfXml, AmfByteArray, AmfVector, AmfDictionary {

    /** The string if this is an {@link AmfString}, else null. */
    default String asString() {
        return null;
    }

    /** The number if this is an {@link AmfNumber}, else NaN. */
    default double asNumber() {
        return Double.NaN;
    }

    /** This value if it is an anonymous or typed {@link AmfObject}, else null. */
    default AmfObject asObject() {
        return null;
    }

    /**
     * Converts a plain Java value: null to {@link AmfNull}, String, Number (as a double), Boolean,
     * {@code byte[]}, {@link java.time.Instant} (a UTC date), {@link java.util.List} (a strict array),
     * {@link java.util.Map} with String keys (an anonymous object); an AmfValue passes through.
     *
     * @throws IllegalArgumentException for any other type
     */
    static AmfValue of(Object value) {
        return JavaValues.toAmf(value);
    }
}
