package fluxrelay.rtmp.handshake;

/** Completes a {@link ClientHandshakeHandler#completion()} future exceptionally. */
public final class HandshakeException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HandshakeIssue issue;

    public HandshakeException(HandshakeIssue issue) {
        super("RTMP handshake failed: " + issue.label());
        this.issue = issue;
    }

    /** What went wrong. */
    public HandshakeIssue issue() {
        return issue;
    }
}
