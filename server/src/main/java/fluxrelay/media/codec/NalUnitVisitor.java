package fluxrelay.media.codec;

/** Receives the NAL units of a length-prefixed access unit, see {@link AnnexB#forEach}. */
@FunctionalInterface
public interface NalUnitVisitor {

    /**
     * One NAL unit.
     *
     * @param type nal_unit_type (H.264: 5 bits; H.265: 6 bits)
     * @param offset absolute index of the NAL unit's first (header) byte in the visited buffer
     * @param length NAL unit length in bytes, at least 1
     */
    void visit(int type, int offset, int length);
}
