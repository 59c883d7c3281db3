package fluxrelay.rtmp.amf;

/**
 * AMF0 unsupported marker (2.15): a type the sender could not serialize. AMF3 has no such
 * marker, so the AMF3 writer sends undefined for it.
 */
public enum AmfUnsupported implements AmfValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "unsupported";
    }
}
