package fluxrelay.rtmp.amf;

/** AMF0 undefined (2.8), AMF3 undefined (3.2). */
public enum AmfUndefined implements AmfValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "undefined";
    }
}
