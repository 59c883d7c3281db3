package fluxrelay.rtmp.handshake;

import java.util.Objects;

/**
 * Fired once the handshake is done, just before the handler removes itself and passes on any bytes that
 * followed C2 (server) or S2 (client). Carries no buffers.
 *
 * @param kind          the negotiated handshake
 * @param clientVersion the unsigned 32-bit version field (bytes 4..7) of C1, whichever side we are;
 *                      for example {@code 0x09007C02} (9.0.124.2) from ffmpeg, 0 from librtmp in plain mode
 */
public record HandshakeCompleted(HandshakeKind kind, long clientVersion) implements HandshakeEvent {

    public HandshakeCompleted {
        Objects.requireNonNull(kind, "kind");
        if (clientVersion < 0 || clientVersion > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("not an unsigned 32-bit version: " + clientVersion);
        }
    }
}
