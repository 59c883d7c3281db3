package fluxrelay.rtmp.amf;

import java.util.Objects;

/** A legacy XMLDocument: AMF0 xml-document (2.17) or AMF3 XMLDocument (3.9); the raw XML text. */
public record AmfXmlDocument(String xml) implements AmfValue {

    /** Rejects null. */
    public AmfXmlDocument {
        Objects.requireNonNull(xml, "xml");
    }

    @Override
    public String toString() {
        return "XMLDocument(" + AmfText.quote(xml) + ")";
    }
}
