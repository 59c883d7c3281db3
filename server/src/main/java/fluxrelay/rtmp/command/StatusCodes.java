package fluxrelay.rtmp.command;

/** The NetConnection and NetStream status codes the server sends, as FMS names them. */
public final class StatusCodes {

    public static final String CONNECT_SUCCESS = "NetConnection.Connect.Success";
    public static final String CONNECT_REJECTED = "NetConnection.Connect.Rejected";
    public static final String CONNECT_CLOSED = "NetConnection.Connect.Closed";
    public static final String CALL_FAILED = "NetConnection.Call.Failed";
    public static final String PUBLISH_START = "NetStream.Publish.Start";
    public static final String PUBLISH_BAD_NAME = "NetStream.Publish.BadName";
    public static final String PUBLISH_REJECTED = "NetStream.Publish.Rejected";
    public static final String UNPUBLISH_SUCCESS = "NetStream.Unpublish.Success";
    public static final String PLAY_RESET = "NetStream.Play.Reset";
    public static final String PLAY_START = "NetStream.Play.Start";
    public static final String PLAY_STOP = "NetStream.Play.Stop";
    public static final String PLAY_FAILED = "NetStream.Play.Failed";
    public static final String PLAY_STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    public static final String PLAY_PUBLISH_NOTIFY = "NetStream.Play.PublishNotify";
    public static final String PLAY_UNPUBLISH_NOTIFY = "NetStream.Play.UnpublishNotify";
    public static final String PLAY_INSUFFICIENT_BW = "NetStream.Play.InsufficientBW";
    public static final String PAUSE_NOTIFY = "NetStream.Pause.Notify";
    public static final String UNPAUSE_NOTIFY = "NetStream.Unpause.Notify";
    public static final String STREAM_FAILED = "NetStream.Failed";

    public static final String LEVEL_STATUS = "status";
    public static final String LEVEL_ERROR = "error";
    public static final String LEVEL_WARNING = "warning";

    private StatusCodes() {
    }
}
