package fluxrelay.stream;

/** Where a viewer's dropped frames are counted. */
@FunctionalInterface
public interface DropSink {

    /** One frame of {@code size} bytes did not reach the viewer. */
    void dropped(DropReason reason, int size);
}
