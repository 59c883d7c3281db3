package fluxrelay.rtmp.amf;

import java.util.Objects;

/**
 * An E4X XML value: AMF3 XML (3.13); the raw XML text. AMF0 has no such type, so the AMF0 writer
 * sends it through the avmplus-object switch.
 */
public record AmfXml(String xml) implements AmfValue {

    /** Rejects null. */
    public AmfXml {
        Objects.requireNonNull(xml, "xml");
    }

    @Override
    public String toString() {
        return "XML(" + AmfText.quote(xml) + ")";
    }
}
