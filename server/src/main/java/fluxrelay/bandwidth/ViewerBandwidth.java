package fluxrelay.bandwidth;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * The bandwidth watch over one playing viewer: its estimator, judged against what the viewer watches (the room's
 * requirement for its program and inputs, a rendition's need for a rendition), with the room's counts and flags kept
 * in step. Handed to the viewer's connection, which feeds it one window per monitoring interval on its own thread.
 *
 * <p>A rendition's need is known only once its ingest rate is measured: a viewer waiting for a rendition that is not
 * live yet is watched from the first window after its need is known (until then it is counted as measuring).
 */
public final class ViewerBandwidth {

    private final RoomBandwidth room;
    private final String viewer;
    private final int flagWindows;
    private final Clock clock;
    /** What the viewer is judged against once known; null until then. */
    private Supplier<BandwidthRequirement> target;
    private BandwidthRequirement requirement;
    private DeliveryEstimator estimator;
    private RoomBandwidth.ViewerState state = RoomBandwidth.ViewerState.MEASURING;
    private BandwidthVerdict flaggedVerdict;
    private boolean closed;

    ViewerBandwidth(RoomBandwidth room, BandwidthRequirement requirement, String viewer, int flagWindows, Clock clock) {
        this(room, () -> requirement, viewer, flagWindows, clock);
    }

    /** A watch judged against what {@code target} answers, asked at each window until it answers non-null. */
    ViewerBandwidth(RoomBandwidth room, Supplier<BandwidthRequirement> target, String viewer, int flagWindows, Clock clock) {
        this.room = room;
        this.target = target;
        this.viewer = viewer;
        this.flagWindows = flagWindows;
        this.clock = clock;
        room.joined();
        resolved();
    }

    /** True once the requirement is known (the estimator then exists). */
    private boolean resolved() {
        if (estimator == null) {
            BandwidthRequirement known = target.get();
            if (known == null) {
                return false;
            }
            requirement = known;
            estimator = new DeliveryEstimator(known.bitsPerSecond(), flagWindows);
            target = null;
        }
        return true;
    }

    /**
     * One monitoring window: bytes the socket drained in {@code nanos}, and whether the viewer was backlogged.
     * Returns the verdict when this window flagged the viewer, else null.
     */
    public BandwidthVerdict window(long bytes, long nanos, boolean networkLimited, long latencyMicros) {
        if (closed || !resolved()) {
            return null;
        }
        return apply(estimator.window(bytes, nanos, networkLimited), latencyMicros, MeasurementMethod.SOCKET_DRAIN);
    }

    /** One HLS segment response delivered; returns the verdict when it flagged the viewer, else null. */
    public BandwidthVerdict segment(long bytes, long nanos) {
        return segment(bytes, nanos, null);
    }

    /**
     * One HLS segment response delivered, judged against {@code against} (the need of the rendition it belongs to), or
     * against this watch's requirement when null; returns the verdict when it flagged the viewer, else null.
     */
    public BandwidthVerdict segment(long bytes, long nanos, BandwidthRequirement against) {
        if (closed || !resolved()) {
            return null;
        }
        BandwidthRequirement target = against == null ? requirement : against;
        return apply(estimator.segment(bytes, nanos, target.bitsPerSecond()), -1, MeasurementMethod.SEGMENT_DELIVERY, target);
    }

    private BandwidthVerdict apply(DeliveryEstimator.Change change, long latencyMicros, MeasurementMethod method) {
        return apply(change, latencyMicros, method, requirement);
    }

    private BandwidthVerdict apply(DeliveryEstimator.Change change, long latencyMicros, MeasurementMethod method,
                                   BandwidthRequirement target) {
        switch (change) {
            case FLAGGED -> {
                Measurement m = new Measurement(estimator.estimateBitsPerSecond(), estimator.belowBytes(),
                        estimator.belowNanos(), latencyMicros, method, true);
                flaggedVerdict = BandwidthVerdict.judge(clock.instant(), room.roomId(), viewer, VerdictSource.PLAYBACK, m,
                        target);
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
        return estimator != null && estimator.flagged();
    }

    /** The verdict that flagged the viewer, or null. */
    public BandwidthVerdict flaggedVerdict() {
        return flaggedVerdict;
    }

    /**
     * What this viewer is judged against: the room's requirement, or the need of the rendition it watches (the
     * rendition's need when it became known, with the room's policy); null while that need is not known yet.
     */
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
