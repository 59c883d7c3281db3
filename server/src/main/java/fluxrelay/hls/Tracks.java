package fluxrelay.hls;

/**
 * The tracks a segment carries; either may be null, not both.
 *
 * @param video the video track, or null for an audio-only stream
 * @param audio the audio track, or null for a video-only stream
 */
public record Tracks(VideoTrack video, AudioTrack audio) {

    public Tracks {
        if (video == null && audio == null) {
            throw new IllegalArgumentException("no track");
        }
    }
}
