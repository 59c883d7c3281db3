package fluxrelay.stream;

/** The outcome of asking for a room's publisher slot. */
public sealed interface PublishClaim {

    /** What an encoder is told when another, live encoder publishes the same feed (on this node or another). */
    String ALREADY_PUBLISHING = "Already publishing: another encoder is live in this room.";

    /** The publisher owns the slot; publish frames through it and close it when done. */
    record Granted(PublisherSlot slot) implements PublishClaim {
    }

    /** Another, live publisher owns the room. */
    record Busy(String description) implements PublishClaim {
    }
}
