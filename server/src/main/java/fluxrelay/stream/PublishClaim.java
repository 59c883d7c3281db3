package fluxrelay.stream;

/** The outcome of asking for a room's publisher slot. */
public sealed interface PublishClaim {

    /** The publisher owns the slot; publish frames through it and close it when done. */
    record Granted(PublisherSlot slot) implements PublishClaim {
    }

    /** Another, live publisher owns the room. */
    record Busy(String description) implements PublishClaim {
    }
}
