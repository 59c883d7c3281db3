package fluxrelay.rtmp.handshake;

/**
 * The fixed set of things that can go wrong in a handshake, each with a stable lower-case label meant for
 * metric tags and log lines. Carried by {@link HandshakeFailed} (connection closed) and
 * {@link HandshakeWarning} (logged, connection continues).
 */
public enum HandshakeIssue {
    /** C0/S0 is not 3 (includes RTMPE's 6, 8 and 9, which we do not support). Fatal. */
    BAD_VERSION("bad_version"),
    /** The first bytes are an HTTP request line ("GET ", "POST", ...), not C0. Fatal. */
    HTTP_REQUEST("http_request"),
    /** The first bytes are a TLS handshake record (a ClientHello): an RTMPS client on a plain port. Fatal. */
    TLS_CLIENT_HELLO("tls_client_hello"),
    /** The handshake did not finish within {@link HandshakeLimits#timeout()}. Fatal. */
    TIMEOUT("timeout"),
    /** The peer closed the connection before the handshake finished. Fatal by nature. */
    PEER_CLOSED("peer_closed"),
    /** Server side: C2 neither echoes S1 nor carries a valid signature. Fatal only if configured. */
    C2_MISMATCH("c2_mismatch"),
    /** Client side: S2 neither echoes C1 nor carries a valid signature. Fatal only if configured. */
    S2_MISMATCH("s2_mismatch"),
    /** Client side, digest mode: S1 announces a version but carries no valid server digest. Fatal. */
    S1_DIGEST_INVALID("s1_digest_invalid"),
    /** Server side: C1 announces a version but no digest validates; answered with a plain handshake. Warning. */
    DIGEST_FALLBACK("digest_fallback");

    private final String label;

    HandshakeIssue(String label) {
        this.label = label;
    }

    /** Stable lower-case name for metrics and logs, e.g. {@code "bad_version"}. */
    public String label() {
        return label;
    }
}
