package fluxrelay.flv;

import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import io.netty.buffer.ByteBuf;

/**
 * Reads the video tag header: legacy VideoTagHeader (FLV spec v10.1 E.4.3.1) or Enhanced RTMP's
 * ExVideoTagHeader (IsExHeader bit, VideoPacketType, ModEx, Multitrack, FourCC).
 */
final class VideoTagHeader {

    private static final int KEY_FRAME = 1;
    private static final int COMMAND_FRAME = 5;

    private static final int LEGACY_AVC = 7;
    /** HEVC under the non-standard CodecID 12 that some Chinese encoders and servers use. */
    private static final int LEGACY_HEVC = 12;

    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;
    private static final int METADATA = 4;
    private static final int MULTITRACK = 6;
    private static final int MANY_TRACKS_MANY_CODECS = 2;

    private VideoTagHeader() {
    }

    /** The frame for {@code body}, which it holds without retaining. */
    static VideoFrame read(long timestamp, ByteBuf body) {
        TagCursor in = new TagCursor(body, "video tag");
        int first = in.u8("VideoTagHeader");
        int frameType = (first >> 4) & 0x07;
        return (first & 0x80) == 0
                ? legacy(timestamp, body, in, frameType, first & 0x0F)
                : enhanced(timestamp, body, in, frameType, first & 0x0F);
    }

    private static VideoFrame legacy(long timestamp, ByteBuf body, TagCursor in, int frameType, int codecId) {
        checkFrameType(in, frameType);
        VideoCodec codec = switch (codecId) {
            case 2 -> VideoCodec.SORENSON_H263;
            case 3 -> VideoCodec.SCREEN_VIDEO;
            case 4 -> VideoCodec.VP6;
            case 5 -> VideoCodec.VP6_ALPHA;
            case 6 -> VideoCodec.SCREEN_VIDEO_2;
            case LEGACY_AVC -> VideoCodec.AVC;
            case LEGACY_HEVC -> VideoCodec.HEVC;
            default -> VideoCodec.UNKNOWN;
        };
        boolean key = frameType == KEY_FRAME;
        if (frameType == COMMAND_FRAME) {
            int offset = in.offset();
            in.u8("video command");
            return new VideoFrame(timestamp, codec, VideoPacketKind.OTHER, false, 0, offset, body);
        }
        if (codec == VideoCodec.AVC || codec == VideoCodec.HEVC) {
            int packetType = in.u8("AVCPacketType");
            int compositionTime = in.si24("CompositionTime");
            VideoPacketKind kind = switch (packetType) {
                case SEQUENCE_START -> VideoPacketKind.SEQUENCE_HEADER;
                case CODED_FRAMES -> VideoPacketKind.CODED_FRAME;
                case SEQUENCE_END -> VideoPacketKind.END_OF_SEQUENCE;
                default -> throw in.error("AVCPacketType " + packetType);
            };
            int cts = kind == VideoPacketKind.CODED_FRAME ? compositionTime : 0;
            return new VideoFrame(timestamp, codec, kind, key || kind == VideoPacketKind.SEQUENCE_HEADER, cts,
                    in.offset(), body);
        }
        VideoPacketKind kind = codec == VideoCodec.UNKNOWN ? VideoPacketKind.OTHER : VideoPacketKind.CODED_FRAME;
        return new VideoFrame(timestamp, codec, kind, key, 0, in.offset(), body);
    }

    private static VideoFrame enhanced(long timestamp, ByteBuf body, TagCursor in, int frameType, int packetType) {
        packetType = ModEx.skip(in, packetType, "videoPacketModExType");
        if (packetType == METADATA) { // frame type is ignored for metadata
            return new VideoFrame(timestamp, FourCc.videoCodec(in.u32("FourCC")), VideoPacketKind.OTHER, false, 0,
                    in.offset(), body);
        }
        checkFrameType(in, frameType);
        boolean key = frameType == KEY_FRAME;
        if (frameType == COMMAND_FRAME) {
            int offset = in.offset();
            in.u8("video command");
            return new VideoFrame(timestamp, VideoCodec.UNKNOWN, VideoPacketKind.OTHER, false, 0, offset, body);
        }
        if (packetType == MULTITRACK) {
            int multitrackType = in.u8("videoMultitrackType") >> 4;
            VideoCodec codec = multitrackType == MANY_TRACKS_MANY_CODECS
                    ? VideoCodec.UNKNOWN : FourCc.videoCodec(in.u32("FourCC"));
            return new VideoFrame(timestamp, codec, VideoPacketKind.OTHER, key, 0, in.offset(), body);
        }
        VideoCodec codec = FourCc.videoCodec(in.u32("FourCC"));
        if (codec == VideoCodec.UNKNOWN) {
            return new VideoFrame(timestamp, codec, VideoPacketKind.OTHER, key, 0, in.offset(), body);
        }
        return switch (packetType) {
            case SEQUENCE_START ->
                    new VideoFrame(timestamp, codec, VideoPacketKind.SEQUENCE_HEADER, true, 0, in.offset(), body);
            case CODED_FRAMES -> {
                int cts = codec == VideoCodec.AVC || codec == VideoCodec.HEVC ? in.si24("CompositionTime") : 0;
                yield new VideoFrame(timestamp, codec, VideoPacketKind.CODED_FRAME, key, cts, in.offset(), body);
            }
            case CODED_FRAMES_X ->
                    new VideoFrame(timestamp, codec, VideoPacketKind.CODED_FRAME, key, 0, in.offset(), body);
            case SEQUENCE_END ->
                    new VideoFrame(timestamp, codec, VideoPacketKind.END_OF_SEQUENCE, key, 0, in.offset(), body);
            // MPEG2TSSequenceStart carries a descriptor, not the decoder config record: carried through
            default -> new VideoFrame(timestamp, codec, VideoPacketKind.OTHER, key, 0, in.offset(), body);
        };
    }

    /** Frame types 0, 6 and 7 are reserved (E.4.3.1; Enhanced RTMP VideoFrameType). */
    private static void checkFrameType(TagCursor in, int frameType) {
        if (frameType == 0 || frameType > COMMAND_FRAME) {
            throw in.error("reserved frame type " + frameType);
        }
    }
}
