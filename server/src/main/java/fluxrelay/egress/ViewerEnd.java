package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthVerdict;

/**
 * Why a viewer ended: what {@link ChannelViewer#end} was given, handed on to the protocol's farewell and to its
 * departure report.
 *
 * @param cause what ended the viewer, which decides what the client is told
 * @param reason for {@link Cause#STOPPED} the text the client is told; otherwise the words of the departure log line
 * @param verdict the verdict for {@link Cause#BELOW_BANDWIDTH}, otherwise null
 */
public record ViewerEnd(Cause cause, String reason, BandwidthVerdict verdict) {

    /** What ended a viewer. */
    public enum Cause {
        /** The client went: connection closed, stream deleted, play replaced. Nothing is written to it. */
        LEFT,
        /** The room or the server stopped it: room closed, server closing, an operator's kick. It is told why. */
        STOPPED,
        /** It stayed behind longer than allowed ({@link ViewerLimits#maxLag()}). */
        TOO_SLOW,
        /** Its room enforces a rate and the viewer was found persistently below it. */
        BELOW_BANDWIDTH
    }

    /** The client went ({@code why}: "connection closed", "stream deleted", ...). */
    public static ViewerEnd left(String why) {
        return new ViewerEnd(Cause.LEFT, why, null);
    }

    /** The room or the server stopped the viewer, with the reason it is told. */
    public static ViewerEnd stopped(String reason) {
        return new ViewerEnd(Cause.STOPPED, reason, null);
    }

    /** The viewer stayed behind too long. */
    public static ViewerEnd tooSlow() {
        return new ViewerEnd(Cause.TOO_SLOW, "too slow", null);
    }

    /** The viewer's link is persistently below its room's enforced rate. */
    public static ViewerEnd belowBandwidth(BandwidthVerdict verdict) {
        return new ViewerEnd(Cause.BELOW_BANDWIDTH, "insufficient bandwidth", verdict);
    }
}
