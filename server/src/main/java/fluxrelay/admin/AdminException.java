package fluxrelay.admin;

/**
 * An admin request that cannot be carried out, with the HTTP status that says why: 400 (validation,
 * naming the field), 404 (unknown room or viewer), 409 (conflict).
 */
public final class AdminException extends RuntimeException {

    private final int status;
    private final String field;

    public AdminException(int status, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.field = field;
    }

    static AdminException invalid(String field, String message) {
        return new AdminException(400, field, message);
    }

    static AdminException notFound(String message) {
        return new AdminException(404, null, message);
    }

    static AdminException conflict(String field, String message) {
        return new AdminException(409, field, message);
    }

    /** The room store (a cluster's shared store) cannot be reached, so the change was not made. */
    public static AdminException unavailable(String message) {
        return new AdminException(503, null, message);
    }

    /** HTTP status. */
    public int status() {
        return status;
    }

    /** The request field at fault, or null. */
    public String field() {
        return field;
    }
}
