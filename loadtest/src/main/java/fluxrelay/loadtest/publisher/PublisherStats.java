package fluxrelay.loadtest.publisher;

import java.util.concurrent.atomic.AtomicLong;

/** What one publisher sent, written on its event loop and read by the reporter. */
public final class PublisherStats {

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private volatile boolean publishing;
    private volatile String failure;

    void sent(int size) {
        bytes.addAndGet(size);
        frames.incrementAndGet();
    }

    void publishing() {
        publishing = true;
    }

    /** Publishing stopped or never started. */
    public void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
        publishing = false;
    }

    /** Audio and video payload bytes sent so far (the same bytes an RTMP viewer counts). */
    public long bytes() {
        return bytes.get();
    }

    /** Audio and video frames sent so far. */
    public long frames() {
        return frames.get();
    }

    /** True once the server accepted the publish, until a failure. */
    public boolean isPublishing() {
        return publishing;
    }

    /** Why publishing stopped, or null. */
    public String failure() {
        return failure;
    }
}
