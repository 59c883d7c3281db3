package fluxrelay.rtmp.amf;

/** An ActionScript Number: AMF0 number (2.2), AMF3 double (3.7) or AMF3 integer (3.6). */
public record AmfNumber(double value) implements AmfValue {

    @Override
    public double asNumber() {
        return value;
    }

    /** Integral values print without a fraction ({@code 1280}), others as Java doubles. */
    @Override
    public String toString() {
        return AmfText.number(value);
    }
}
