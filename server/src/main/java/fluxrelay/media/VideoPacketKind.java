package fluxrelay.media;

/** What a video frame's payload carries (FLV AVCPacketType, Enhanced RTMP VideoPacketType). */
public enum VideoPacketKind {
    /** Decoder configuration record (avcC, hvcC, av1C, vpcC). */
    SEQUENCE_HEADER,
    /** Coded picture data. */
    CODED_FRAME,
    /** End of sequence marker. */
    END_OF_SEQUENCE,
    /** Anything else carried through untouched (Enhanced RTMP metadata, multitrack, legacy codecs' frames are CODED_FRAME). */
    OTHER
}
