package fluxrelay.access;

/** Why a viewer of a {@link ViewerAccess#TOKEN} room was refused; the label names it in answers, logs and metrics. */
public enum AccessRefusal {
    /** The URL carries no token. */
    MISSING("missing", "This room needs an access token: add ?%s= to the URL you were given."),
    /** The token is not of the access token format. */
    MALFORMED("malformed", "The access token is malformed."),
    /** No accepted secret signed the token (forged, altered, or signed with a retired secret). */
    BAD_SIGNATURE("bad_signature", "The access token's signature is not valid."),
    /** The token was signed for another room. */
    OTHER_ROOM("other_room", "The access token is for another room."),
    /** The token's expiry has passed. */
    EXPIRED("expired", "The access token has expired."),
    /** The token is bound to another client address. */
    WRONG_ADDRESS("wrong_address", "The access token is bound to another address."),
    /** The token's attendee was revoked. */
    REVOKED("revoked", "Access for this attendee was revoked.");

    private final String label;
    private final String message;

    AccessRefusal(String label, String message) {
        this.label = label;
        this.message = message;
    }

    /** The reason in answers, logs and the {@code reason} label of the refusal metric. */
    public String label() {
        return label;
    }

    /** What the viewer is told, naming the URL parameter the token goes in. */
    public String message(String parameter) {
        return message.formatted(parameter);
    }
}
