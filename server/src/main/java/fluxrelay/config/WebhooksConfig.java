package fluxrelay.config;

import java.net.URI;
import java.time.Duration;

/**
 * Platform webhooks ({@code relay.webhooks}), as nginx-rtmp's {@code on_publish} family: each URL is optional (null).
 *
 * @param onPublish asked before a publish is accepted (allow, deny, or map the stream name to a room)
 * @param onPublishDone told when a publish ends
 * @param onPlay told when a viewer starts
 * @param onPlayDone told when a viewer stops
 * @param timeout per request
 * @param retries further attempts for notifications (never for decisions)
 * @param retryBackoff wait before the first retry, doubled each time
 * @param allowWhenDown the decision when {@code onPublish} cannot be reached or answers 5xx
 * @param maxResponseBytes largest answer body read; a longer one is cut off and ignored
 * @param onRecording told when a recording starts, is ready or failed, or null
 * @param onProgramChanged told when a room's program switches input ({@code room.program_changed}), or null
 * @param onInputChanged told when a room's inputs change ({@code room.input_added}, {@code room.input_removed},
 *                       {@code room.input_key_rotated}, {@code room.input_mismatch}), or null
 */
public record WebhooksConfig(URI onPublish, URI onPublishDone, URI onPlay, URI onPlayDone, Duration timeout, int retries,
                            Duration retryBackoff, boolean allowWhenDown, int maxResponseBytes, URI onRecording,
                            URI onProgramChanged, URI onInputChanged) {

    /** Without the input webhook. */
    public WebhooksConfig(URI onPublish, URI onPublishDone, URI onPlay, URI onPlayDone, Duration timeout, int retries,
                          Duration retryBackoff, boolean allowWhenDown, int maxResponseBytes, URI onRecording,
                          URI onProgramChanged) {
        this(onPublish, onPublishDone, onPlay, onPlayDone, timeout, retries, retryBackoff, allowWhenDown, maxResponseBytes,
                onRecording, onProgramChanged, null);
    }

    /** Without the recording and program webhooks. */
    public WebhooksConfig(URI onPublish, URI onPublishDone, URI onPlay, URI onPlayDone, Duration timeout, int retries,
                          Duration retryBackoff, boolean allowWhenDown, int maxResponseBytes) {
        this(onPublish, onPublishDone, onPlay, onPlayDone, timeout, retries, retryBackoff, allowWhenDown, maxResponseBytes, null, null, null);
    }
}
