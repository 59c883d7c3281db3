package fluxrelay.playback;

import fluxrelay.access.AccessClaims;
import fluxrelay.access.AccessRefusal;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.stream.LiveStream;

/** The answer to a {@link PlayRequest}. */
public sealed interface PlayDecision {

    /**
     * The viewer may watch.
     *
     * @param room the room
     * @param feed the feed watched
     * @param stream the feed's hub to subscribe to, or null for viewers that do not subscribe (HLS)
     * @param warning the below-requirement verdict a {@code warn} room plays on with, or null
     * @param claims the token's claims the viewer was admitted on, or null (HLS writes them into playlists)
     * @param access the access token's claims in a {@code token} room, or null in an open one (HLS carries the
     *               token on into playlists; subscribing viewers are tagged with its attendee)
     * @param moved the rendition a viewer measured below the program's requirement was given instead of the program
     *              ({@code stream} is its hub) and the figures why, or null
     */
    record Admitted(Room room, Feed feed, LiveStream stream, BandwidthVerdict warning, ProbeTokens.Claims claims,
                    AccessClaims access, MovedDown moved) implements PlayDecision {

        /** Admitted in an open room. */
        public Admitted(Room room, Feed feed, LiveStream stream, BandwidthVerdict warning, ProbeTokens.Claims claims) {
            this(room, feed, stream, warning, claims, null, null);
        }

        /** Admitted to the program or the rendition asked for. */
        public Admitted(Room room, Feed feed, LiveStream stream, BandwidthVerdict warning, ProbeTokens.Claims claims,
                        AccessClaims access) {
            this(room, feed, stream, warning, claims, access, null);
        }

        /** This decision with the access claims the viewer was admitted on. */
        Admitted withAccess(AccessClaims granted) {
            return new Admitted(room, feed, stream, warning, claims, granted, moved);
        }

        /** The id of the rendition the viewer was given instead of the program, or null. */
        public String movedTo() {
            return moved == null ? null : moved.rendition();
        }

        /** The attendee the viewer watches as, or null. */
        public String attendee() {
            return access == null ? null : access.attendee();
        }
    }

    /**
     * Why a viewer of the program was given a rendition instead: what protocols tell the viewer with its play answer
     * (RTMP {@code NetStream.Play.Start}, HTTP-FLV response headers).
     *
     * @param rendition the rendition's id
     * @param measuredBitsPerSecond the viewer's measured figure, bit/s
     * @param requiredBitsPerSecond the program's requirement (the room's), bit/s
     * @param needBitsPerSecond the rendition's need, bit/s
     */
    record MovedDown(String rendition, long measuredBitsPerSecond, long requiredBitsPerSecond, long needBitsPerSecond) {

        /** The measured figure in megabit/s. */
        public double measuredMbps() {
            return measuredBitsPerSecond / 1e6;
        }

        /** The program's requirement in megabit/s. */
        public double requiredMbps() {
            return requiredBitsPerSecond / 1e6;
        }

        /** "Playing rendition 480p: measured 1.6 Mbit/s, the program needs 3.0 Mbit/s": the sentence a viewer is told. */
        public String description() {
            return String.format(java.util.Locale.ROOT, "Playing rendition %s: measured %.1f Mbit/s, the program needs %.1f Mbit/s",
                    rendition, measuredMbps(), requiredMbps());
        }
    }

    /**
     * The room needs a viewer access token and the request's is missing or not valid for it.
     *
     * @param room the room
     * @param reason what is wrong with the token
     */
    record Denied(Room room, AccessRefusal reason) implements PlayDecision {
    }

    /** No such room or feed in this application. */
    record NotFound() implements PlayDecision {
    }

    /**
     * The room exists but has no rendition of that id (none is live or bound under it).
     *
     * @param room the room
     * @param asked the rendition asked for, as the viewer wrote it
     * @param available the renditions a viewer may ask for now, sorted (the program is always there besides them)
     */
    record NoSuchRendition(Room room, String asked, java.util.List<String> available) implements PlayDecision {

        public NoSuchRendition {
            available = java.util.List.copyOf(available);
        }

        /** The sentence a viewer is told. */
        public String description() {
            return "No rendition '" + asked + "' in room " + room.id() + (available.isEmpty()
                    ? ": it has none now (play without ?rendition= for the main picture)."
                    : "; available: " + String.join(", ", available) + " (or none for the main picture).");
        }
    }

    /** The feed has as many viewers as a room takes. */
    record Full(Room room) implements PlayDecision {
    }

    /** The viewer's link must be measured first (in-band detection); ask again with the result. */
    record Measure(Room room) implements PlayDecision {
    }

    /**
     * The room's bandwidth policy refuses the viewer.
     *
     * @param room the room
     * @param cause why
     * @param verdict the figures, or null when the viewer brought no measurement
     * @param requiredBitsPerSecond the room's requirement; in a room with renditions, the lowest rendition's need
     */
    record Refused(Room room, Cause cause, BandwidthVerdict verdict, long requiredBitsPerSecond) implements PlayDecision {
    }

    /** Why a viewer was refused. */
    enum Cause {
        /** No valid measurement (probe token) under {@code enforce}. */
        UNMEASURED,
        /** Measured below the requirement under {@code enforce}. */
        TOO_SLOW,
        /** Found persistently below the requirement during playback (HLS deliveries) under {@code enforce}. */
        FLAGGED
    }
}
