package fluxrelay.rtmp.handshake;

/** Which handshake a connection negotiated. */
public enum HandshakeKind {
    /** RTMP spec 5.2: C2 and S2 echo the peer's random bytes; C1/S1 bytes 4..7 are zero. */
    PLAIN,
    /** Flash Player 9 / FMS 3 handshake: HMAC-SHA256 digests in C1/S1 and signatures in C2/S2. */
    DIGEST
}
