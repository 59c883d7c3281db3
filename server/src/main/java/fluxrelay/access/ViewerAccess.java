package fluxrelay.access;

import java.util.Locale;

/** Who may watch a room ({@code viewer-access} of a room). */
public enum ViewerAccess {
    /** Anyone who knows the room id. */
    OPEN,
    /** Only holders of a valid access token signed for the room. */
    TOKEN;

    /** The configuration and API spelling. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode spelled {@code label} ("open" or "token", any case), or null for anything else. */
    public static ViewerAccess parse(String label) {
        for (ViewerAccess mode : values()) {
            if (mode.label().equalsIgnoreCase(label)) {
                return mode;
            }
        }
        return null;
    }
}
