package fluxrelay.ingest;

import fluxrelay.rooms.RoomLocator;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamRegistry;

/** A single node's answer to "where is this feed's publisher?": here when its hub has one, else nowhere. */
public final class LocalRoomLocator implements RoomLocator {

    private final StreamRegistry streams;

    public LocalRoomLocator(StreamRegistry streams) {
        this.streams = streams;
    }

    @Override
    public Origin locate(String roomId, String feedId) {
        return streams.find(new FeedId(roomId, feedId)).filter(s -> s.snapshot().publishing())
                .<Origin>map(s -> new Origin.Here()).orElse(new Origin.Nowhere());
    }
}
