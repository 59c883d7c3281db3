package fluxrelay.rtmp.amf;

/**
 * Bounds a reader enforces on one message, so that a peer cannot make us allocate or recurse
 * beyond them.
 *
 * <p>{@code maxElements} counts every value in the message, members of objects and arrays
 * included; a reference (AMF0 2.9, AMF3 object references) counts at the full size of what it
 * points to, and a string reference counts its bytes again against {@code maxExpandedBytes}. This
 * keeps a small message of back references (a "billion laughs") from growing into a value that
 * costs gigabytes to re-encode, print or compare.
 *
 * @param maxDepth most nested objects/arrays, 1..256 (recursion depth of the readers)
 * @param maxStringLength most UTF-8 bytes in one string, XML text or byte array
 * @param maxElements most values in one message, counting references at their expanded size
 * @param maxExpandedBytes most string, key and byte-array bytes in one message, counting
 *     references at their expanded size
 */
public record AmfLimits(int maxDepth, int maxStringLength, int maxElements, long maxExpandedBytes) {

    /** Highest allowed {@code maxDepth}: keeps reader recursion far from the thread stack limit. */
    public static final int DEPTH_CEILING = 256;

    /** 32 levels, 1 MiB strings, 65536 values, 16 MiB expanded (the RTMP message size limit). */
    public static final AmfLimits DEFAULT = new AmfLimits(32, 1 << 20, 65_536);

    /** Validates the bounds. */
    public AmfLimits {
        if (maxDepth < 1 || maxDepth > DEPTH_CEILING) {
            throw new IllegalArgumentException("maxDepth must be 1.." + DEPTH_CEILING + ": " + maxDepth);
        }
        if (maxStringLength < 0) {
            throw new IllegalArgumentException("maxStringLength must be >= 0: " + maxStringLength);
        }
        if (maxElements < 1) {
            throw new IllegalArgumentException("maxElements must be >= 1: " + maxElements);
        }
        if (maxExpandedBytes < maxStringLength) {
            throw new IllegalArgumentException(
                    "maxExpandedBytes must be >= maxStringLength: " + maxExpandedBytes);
        }
    }

    /** Limits with {@code maxExpandedBytes} of 16 MiB, or {@code maxStringLength} if larger. */
    public AmfLimits(int maxDepth, int maxStringLength, int maxElements) {
        this(maxDepth, maxStringLength, maxElements, Math.max(16L << 20, maxStringLength));
    }
}
