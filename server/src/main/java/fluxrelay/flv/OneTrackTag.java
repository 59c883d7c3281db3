package fluxrelay.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Writes a single-track video or audio tag body as an Enhanced RTMP v2 multitrack message of type OneTrack with a
 * given track id: what a player that announced {@code capsEx} Multitrack reads as track N. The inverse of
 * {@link Multitrack#split} for one track.
 *
 * <p>Layout written (Enhanced RTMP v2, ExVideoTagHeader and ExAudioTagHeader): the first byte with the
 * multitrack packet type (video: IsExHeader, the frame type, VideoPacketType 6; audio: SoundFormat 9,
 * AudioPacketType 5), one byte with AvMultitrackType OneTrack (upper 4 bits, 0) and the track's packet type
 * (lower 4 bits), the FourCC, the UI8 track id, then the track's data to the end of the message.
 *
 * <p>Read: legacy H.264 (CodecID 7) and HEVC (CodecID 12) video, legacy AAC audio and single-track enhanced
 * bodies without ModEx. Anything else (other legacy codecs, command frames, ModEx, a multitrack body, a body
 * too short for its header) has no OneTrack form here: {@link #wrap} answers null and the caller leaves the
 * frame out. The codec data is never copied: the result holds a fresh header and a slice of the body.
 */
public final class OneTrackTag {

    private static final int VIDEO_EX_HEADER = 0x80;
    private static final int VIDEO_MULTITRACK = 6;
    private static final int AUDIO_EX_HEADER = 9;
    private static final int AUDIO_MULTITRACK = 5;
    private static final int COMMAND_FRAME = 5;
    private static final int LEGACY_AVC = 7;
    private static final int LEGACY_HEVC = 12;
    private static final int LEGACY_AAC = 10;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;
    private static final int AUDIO_MULTICHANNEL_CONFIG = 4;
    /** First byte, multitrack byte, FourCC, track id. */
    private static final int HEADER_SIZE = 7;

    private OneTrackTag() {
    }

    /**
     * The OneTrack message carrying {@code body} as track {@code track}, or null when {@code body} has no such form
     * (see the class comment). Does not take {@code body}; the result owns one new reference to it.
     *
     * @param video true for a video tag body, false for audio
     * @param track the track id, 0 to 255
     */
    public static ByteBuf wrap(boolean video, ByteBuf body, int track, ByteBufAllocator alloc) {
        if (track < 0 || track > 0xFF) {
            throw new IllegalArgumentException("a track id is a UI8: " + track);
        }
        return video ? video(body, track, alloc) : audio(body, track, alloc);
    }

    private static ByteBuf video(ByteBuf body, int track, ByteBufAllocator alloc) {
        if (body.readableBytes() < 5) {
            return null;
        }
        int at = body.readerIndex();
        int first = body.getUnsignedByte(at);
        int frameType = (first >> 4) & 0x07;
        if (frameType == COMMAND_FRAME) {
            return null;
        }
        if ((first & VIDEO_EX_HEADER) == 0) {
            int codecId = first & 0x0F;
            int packetType = body.getUnsignedByte(at + 1); // AVCPacketType: 0 config, 1 NALUs, 2 end of sequence
            if (codecId != LEGACY_AVC && codecId != LEGACY_HEVC || packetType > SEQUENCE_END) {
                return null;
            }
            int fourCc = codecId == LEGACY_AVC ? FourCc.AVC : FourCc.HEVC;
            // CodedFrames keeps its SI24 CompositionTime in front of the data; the other two carry none.
            int dataAt = packetType == CODED_FRAMES ? 2 : 5;
            return join(alloc, VIDEO_EX_HEADER | frameType << 4 | VIDEO_MULTITRACK, packetType, fourCc, track, body, dataAt);
        }
        int packetType = first & 0x0F;
        if (packetType > CODED_FRAMES_X) { // Metadata, MPEG2TSSequenceStart, Multitrack, ModEx: not carried
            return null;
        }
        return join(alloc, VIDEO_EX_HEADER | frameType << 4 | VIDEO_MULTITRACK, packetType, body.getInt(at + 1), track,
                body, 5);
    }

    private static ByteBuf audio(ByteBuf body, int track, ByteBufAllocator alloc) {
        if (body.readableBytes() < 2) {
            return null;
        }
        int at = body.readerIndex();
        int first = body.getUnsignedByte(at);
        int first4 = AUDIO_EX_HEADER << 4 | AUDIO_MULTITRACK;
        if (first >> 4 == LEGACY_AAC) {
            int packetType = body.getUnsignedByte(at + 1); // AACPacketType: 0 AudioSpecificConfig, 1 raw
            return packetType > CODED_FRAMES ? null : join(alloc, first4, packetType, FourCc.AAC, track, body, 2);
        }
        int packetType = first & 0x0F;
        if (first >> 4 != AUDIO_EX_HEADER || packetType > AUDIO_MULTICHANNEL_CONFIG || body.readableBytes() < 5) {
            return null;
        }
        return join(alloc, first4, packetType, body.getInt(at + 1), track, body, 5);
    }

    private static ByteBuf join(ByteBufAllocator alloc, int first, int packetType, int fourCc, int track, ByteBuf body,
                                int dataAt) {
        ByteBuf header = alloc.buffer(HEADER_SIZE, HEADER_SIZE);
        header.writeByte(first);
        header.writeByte(packetType); // AvMultitrackType OneTrack (0) in the upper 4 bits
        header.writeInt(fourCc);
        header.writeByte(track);
        CompositeByteBuf message = alloc.compositeBuffer(2);
        message.addComponent(true, header);
        message.addComponent(true, body.retainedSlice(body.readerIndex() + dataAt, body.readableBytes() - dataAt));
        return message;
    }
}
