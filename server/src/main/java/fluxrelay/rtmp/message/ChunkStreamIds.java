package fluxrelay.rtmp.message;

/**
 * The chunk streams the server sends on, by kind of message, as FMS and nginx-rtmp do: control on 2
 * (required by RTMP spec 5.4), NetConnection commands on 3, stream status and data on 5, audio on 6,
 * video on 7; the extra tracks of an Enhanced RTMP v2 multitrack play (renditions beside the program) on 8 (audio)
 * and 9 (video), so the program's chunk streams stay as a single-track viewer's.
 */
public final class ChunkStreamIds {

    public static final int CONTROL = 2;
    public static final int COMMAND = 3;
    public static final int STREAM_STATUS = 5;
    public static final int AUDIO = 6;
    public static final int VIDEO = 7;
    public static final int TRACK_AUDIO = 8;
    public static final int TRACK_VIDEO = 9;

    private ChunkStreamIds() {
    }
}
