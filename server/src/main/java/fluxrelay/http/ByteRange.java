package fluxrelay.http;

/**
 * A single byte range of a {@code Range: bytes=...} request header (RFC 9110 14.1.2): {@code first-last},
 * {@code first-} or the suffix {@code -length}. Several ranges or a malformed header are ignored (the whole
 * representation is sent), as the RFC allows.
 *
 * @param first first byte, inclusive
 * @param last last byte, inclusive
 */
record ByteRange(long first, long last) {

    /** The request asks only for bytes past the end. */
    static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** Bytes in the range. */
    long length() {
        return last - first + 1;
    }

    /**
     * The range a header asks of a representation of {@code size} bytes: null to send it whole,
     * {@link #UNSATISFIABLE} when no byte of it is asked for, else the range clipped to the size.
     */
    static ByteRange parse(String header, long size) {
        if (header == null || !header.regionMatches(true, 0, "bytes=", 0, 6)) {
            return null;
        }
        String spec = header.substring(6).trim();
        int dash = spec.indexOf('-');
        if (spec.indexOf(',') >= 0 || dash < 0) {
            return null;
        }
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        try {
            if (from.isEmpty()) {
                long suffix = digits(to);
                if (suffix == 0) {
                    return UNSATISFIABLE;
                }
                return size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = digits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : digits(to);
            if (last < first) {
                return null;
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long digits(String text) {
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(text);
        }
        return Long.parseLong(text);
    }
}
