package fluxrelay.rooms;

import java.util.Optional;

/**
 * Decides whether an encoder may publish: the app and stream name must match a feed of a room exactly.
 *
 * <p>Protocol-neutral; later decisions (platform webhooks) can wrap it.
 */
public final class PublishAuthorizer implements PublishGate {

    private final RoomRegistry rooms;
    private final RenditionInputs renditions;

    public PublishAuthorizer(RoomRegistry rooms) {
        this(rooms, RenditionInputs.NONE);
    }

    /** @param renditions stream names bound as renditions of rooms' programs, admitted as {@link Feed#ROLE_RENDITION} feeds */
    public PublishAuthorizer(RoomRegistry rooms, RenditionInputs renditions) {
        this.rooms = rooms;
        this.renditions = renditions;
    }

    /** Decides on a request from the bindings alone; never throws. */
    public PublishDecision decideNow(PublishRequest request) {
        if (request.streamName().isEmpty()) {
            return new PublishDecision.Denied("empty_stream_name", "No stream name given: set the stream key of your room.");
        }
        Optional<Binding> binding = rooms.findBinding(request.app(), request.streamName());
        if (binding.isPresent()) {
            return new PublishDecision.Allowed(binding.get().room(), binding.get().feed());
        }
        Optional<RenditionInputs.Binding> rendition = renditions.find(request.app(), request.streamName());
        Optional<Room> renditionRoom = rendition.flatMap(b -> rooms.findById(b.roomId()));
        if (renditionRoom.isPresent() && renditionRoom.get().app().equals(request.app())) {
            return new PublishDecision.Allowed(renditionRoom.get(),
                    new Feed(rendition.get().rendition(), request.streamName(), Feed.ROLE_RENDITION));
        }
        for (Room other : rooms.all()) {
            if (other.usesStreamName(request.streamName())) {
                return new PublishDecision.Denied("wrong_app", "This stream key belongs to application '" + other.app()
                        + "', not '" + request.app() + "': check the server URL.");
            }
        }
        return new PublishDecision.Denied("unknown_stream_name",
                "Unknown stream key: it is not bound to any room. Check the stream key of your room.");
    }

    @Override
    public java.util.concurrent.CompletionStage<PublishDecision> decide(PublishRequest request) {
        return java.util.concurrent.CompletableFuture.completedFuture(decideNow(request));
    }

    /** True when the app can take publishers or viewers at all. */
    public boolean knowsApp(String app) {
        return rooms.hasApp(app);
    }
}
