package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Names what a connection is speaking when its first byte is not C0 = 3, so that a metrics layer can tell
 * browsers and HTTP probes, RTMPS clients on the plain port, and other junk apart. Looks at no more than the
 * first four bytes and never consumes them.
 */
final class ForeignPreamble {

    private static final int TLS_HANDSHAKE_RECORD = 0x16;
    private static final int TLS_MAJOR_VERSION = 0x03;

    /** Request-line prefixes of the HTTP methods (and the HTTP/2 preface "PRI * HTTP/2.0"). */
    private static final List<byte[]> HTTP_PREFIXES = List.of("GET ", "POST", "PUT ", "HEAD", "DELE", "OPTI",
            "PATC", "CONN", "TRAC", "PRI ").stream().map(s -> s.getBytes(StandardCharsets.US_ASCII)).toList();

    private ForeignPreamble() {
    }

    /**
     * Classifies the readable bytes of {@code in}, whose first byte is not 3. Empty when they are a prefix of
     * something recognisable and more bytes are needed to tell.
     */
    static Optional<HandshakeIssue> classify(ByteBuf in) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (in.getUnsignedByte(start) == TLS_HANDSHAKE_RECORD) {
            if (available < 2) {
                return Optional.empty();
            }
            return Optional.of(in.getUnsignedByte(start + 1) == TLS_MAJOR_VERSION
                    ? HandshakeIssue.TLS_CLIENT_HELLO : HandshakeIssue.BAD_VERSION);
        }
        int seen = Math.min(available, 4);
        for (byte[] prefix : HTTP_PREFIXES) {
            if (startsWith(in, start, prefix, seen)) {
                return seen == prefix.length ? Optional.of(HandshakeIssue.HTTP_REQUEST) : Optional.empty();
            }
        }
        return Optional.of(HandshakeIssue.BAD_VERSION);
    }

    private static boolean startsWith(ByteBuf in, int start, byte[] prefix, int count) {
        for (int i = 0; i < count; i++) {
            if (in.getByte(start + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
