package fluxrelay.access;

/** The answer of {@link AccessPolicy#check}: granted, with the token's claims when one was needed, or denied. */
public sealed interface AccessCheck {

    /** @param claims the token's claims, or null in an {@link ViewerAccess#OPEN} room */
    record Granted(AccessClaims claims) implements AccessCheck {
    }

    /** @param reason why */
    record Denied(AccessRefusal reason) implements AccessCheck {
    }
}
