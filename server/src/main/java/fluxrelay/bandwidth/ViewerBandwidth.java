package fluxrelay.bandwidth;

import java.time.Clock;

/**
 * The bandwidth watch over one playing viewer: its estimator, judged against the room's requirement, with
 * the room's counts and flags kept in step. Handed to the viewer's connection, which feeds it one window
 * per monitoring interval on its own thread.
 */
public final class ViewerBandwidth {

    private final RoomBandwidth room;
    private final BandwidthRequirement requirement;
    private final String viewer;
    private final DeliveryEstimator estimator;
    private final Clock clock;
    private RoomBandwidth.ViewerState state = RoomBandwidth.ViewerState.MEASURING;
    private BandwidthVerdict flaggedVerdict;
    private boolean closed;

    ViewerBandwidth(RoomBandwidth room, BandwidthRequirement requirement, String viewer, int flagWindows, Clock clock) {
        this.room = room;
        this.requirement = requirement;
        this.viewer = viewer;
        this.estimator = new DeliveryEstimator(requirement.bitsPerSecond(), flagWindows);
        this.clock = clock;
        room.joined();
    }

    /**
     * One monitoring window: bytes the socket drained in {@code nanos}, and whether the viewer was backlogged.
     * Returns the verdict when this window flagged the viewer, else null.
     */
    public BandwidthVerdict window(long bytes, long nanos, boolean networkLimited, long latencyMicros) {
        if (closed) {
            return null;
        }
        return apply(estimator.window(bytes, nanos, networkLimited), latencyMicros, MeasurementMethod.SOCKET_DRAIN);
    }

    /** One HLS segment response delivered; returns the verdict when it flagged the viewer, else null. */
    public BandwidthVerdict segment(long bytes, long nanos) {
        if (closed) {
            return null;
        }
        return apply(estimator.segment(bytes, nanos), -1, MeasurementMethod.SEGMENT_DELIVERY);
    }

    private BandwidthVerdict apply(DeliveryEstimator.Change change, long latencyMicros, MeasurementMethod method) {
        switch (change) {
            case FLAGGED -> {
                Measurement m = new Measurement(estimator.estimateBitsPerSecond(), estimator.belowBytes(),
                        estimator.belowNanos(), latencyMicros, method, true);
                flaggedVerdict = BandwidthVerdict.judge(clock.instant(), room.roomId(), viewer, VerdictSource.PLAYBACK, m,
                        requirement);
                move(RoomBandwidth.ViewerState.BELOW);
                room.flag(this, flaggedVerdict);
                return flaggedVerdict;
            }
            case CLEARED -> {
                room.unflag(this);
                flaggedVerdict = null;
                move(RoomBandwidth.ViewerState.OK);
            }
            case NONE -> {
                if (state == RoomBandwidth.ViewerState.MEASURING && estimator.judged()) {
                    move(RoomBandwidth.ViewerState.OK);
                }
            }
        }
        return null;
    }

    private void move(RoomBandwidth.ViewerState to) {
        if (state != to) {
            room.moved(state, to);
            state = to;
        }
    }

    /** True while the viewer is flagged as persistently below. */
    public boolean flagged() {
        return estimator.flagged();
    }

    /** The verdict that flagged the viewer, or null. */
    public BandwidthVerdict flaggedVerdict() {
        return flaggedVerdict;
    }

    /** The room's requirement this viewer is judged against. */
    public BandwidthRequirement requirement() {
        return requirement;
    }

    /** The room's state. */
    public RoomBandwidth room() {
        return room;
    }

    /** The viewer left: its counts and flag leave the room. Idempotent. */
    public void close() {
        if (!closed) {
            closed = true;
            room.unflag(this);
            room.left(state);
        }
    }
}
