package fluxrelay.rtmp.amf;

/** AMF3 type markers (AMF3 spec 3.1). */
final class Amf3Marker {

    static final int UNDEFINED = 0x00;
    static final int NULL = 0x01;
    static final int FALSE = 0x02;
    static final int TRUE = 0x03;
    static final int INTEGER = 0x04;
    static final int DOUBLE = 0x05;
    static final int STRING = 0x06;
    static final int XML_DOC = 0x07;
    static final int DATE = 0x08;
    static final int ARRAY = 0x09;
    static final int OBJECT = 0x0A;
    static final int XML = 0x0B;
    static final int BYTE_ARRAY = 0x0C;
    static final int VECTOR_INT = 0x0D;
    static final int VECTOR_UINT = 0x0E;
    static final int VECTOR_DOUBLE = 0x0F;
    static final int VECTOR_OBJECT = 0x10;
    static final int DICTIONARY = 0x11;

    /** Largest value a U29 holds (1.3.1). */
    static final int U29_MAX = 0x1FFF_FFFF;
    /** Range of the AMF3 integer type (3.6): a U29 read as 29-bit two's complement. */
    static final int INT_MIN = -0x1000_0000;
    static final int INT_MAX = 0x0FFF_FFFF;

    private Amf3Marker() {
    }
}
