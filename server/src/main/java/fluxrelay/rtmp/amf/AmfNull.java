package fluxrelay.rtmp.amf;

/** AMF0 null (2.7), AMF3 null (3.3). */
public enum AmfNull implements AmfValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
