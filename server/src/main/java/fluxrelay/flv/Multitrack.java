package fluxrelay.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an Enhanced RTMP v2 multitrack message (VideoPacketType 6, AudioPacketType 5) into one
 * single-track tag body per track, so everything after ingest reads a track's frames exactly as
 * it reads a single-track encoder's.
 *
 * <p>Layout (Enhanced RTMP v2, ExVideoTagHeader/ExAudioTagHeader and their bodies): after the
 * first byte and any ModEx, one byte holds AvMultitrackType (upper 4 bits: 0 OneTrack, 1
 * ManyTracks, 2 ManyTracksManyCodecs) and the packet type every track carries (lower 4 bits);
 * a shared FourCC follows unless the codecs differ. Then, per track: its FourCC (ManyTracksManyCodecs
 * only), the UI8 track id, a UI24 size (not for OneTrack, whose data runs to the end), the data.
 *
 * <p>Each track's body is a header written for it followed by a slice of the message, so the
 * codec data is never copied. An H.264 or AAC track gets the legacy FLV header (FLV v10.1 E.4.3.1,
 * E.4.2.1) that every player reads; other codecs get the single-track ExVideoTagHeader or
 * ExAudioTagHeader with the track's FourCC.
 *
 * <p>Limits: a track id appears at most once per message, which bounds a message to 256 tracks,
 * the number of UI8 ids. Sizes reaching past the body, reserved multitrack types, a nested
 * multitrack or ModEx packet type and a message without tracks are malformed.
 */
final class Multitrack {

    /** Most tracks in one message: one per UI8 track id. */
    static final int MAX_TRACKS = 256;

    private static final int ONE_TRACK = 0;
    private static final int MANY_TRACKS_MANY_CODECS = 2;

    private static final int VIDEO_MULTITRACK = 6;
    private static final int AUDIO_MULTITRACK = 5;
    private static final int VIDEO_COMMAND_FRAME = 5;
    private static final int AUDIO_EX_HEADER = 9;
    private static final int LEGACY_AVC = 7;
    private static final int LEGACY_AAC_BYTE = 0xAF; // AAC, 44 kHz, 16-bit, stereo: what AAC tags always say

    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int SEQUENCE_END = 2;
    private static final int CODED_FRAMES_X = 3;

    /** One track's body, owning one reference. */
    record Track(int id, ByteBuf body) {
    }

    /** Where one track's data lies in the message. */
    private record Span(int id, int fourCc, int offset, int length) {
    }

    private Multitrack() {
    }

    /**
     * The tracks of a video or audio message, or {@code null} when it is not a multitrack message.
     * Does not take {@code body}: each track holds its own reference to it. Checks the whole
     * message before anything is allocated.
     *
     * @param video true for a video message, false for audio
     */
    static List<Track> split(boolean video, ByteBuf body) {
        TagCursor in = new TagCursor(body, video ? "video tag" : "audio tag");
        int first = in.u8(video ? "VideoTagHeader" : "AudioTagHeader");
        int frameType = (first >> 4) & 0x07;
        if (video ? (first & 0x80) == 0 : first >> 4 != AUDIO_EX_HEADER) {
            return null;
        }
        String prefix = video ? "video" : "audio";
        int packetType = ModEx.skip(in, first & 0x0F, prefix + "PacketModExType");
        if (packetType != (video ? VIDEO_MULTITRACK : AUDIO_MULTITRACK) || video && frameType == VIDEO_COMMAND_FRAME) {
            return null;
        }
        int typeByte = in.u8(prefix + "MultitrackType");
        int multitrackType = typeByte >> 4;
        int trackPacketType = typeByte & 0x0F;
        if (multitrackType > MANY_TRACKS_MANY_CODECS) {
            throw in.error("reserved AvMultitrackType " + multitrackType);
        }
        if (trackPacketType == packetType || trackPacketType == ModEx.PACKET_TYPE) {
            throw in.error("packet type " + trackPacketType + " inside a multitrack message");
        }
        int sharedFourCc = multitrackType == MANY_TRACKS_MANY_CODECS ? 0 : in.u32("FourCC");
        List<Span> spans = spans(in, multitrackType, sharedFourCc);
        List<Track> tracks = new ArrayList<>(spans.size());
        try {
            for (Span span : spans) {
                ByteBuf header = video
                        ? videoHeader(body, frameType, trackPacketType, span)
                        : audioHeader(body, trackPacketType, span);
                int skip = video && span.fourCc == FourCc.AVC && trackPacketType == CODED_FRAMES ? 3 : 0;
                CompositeByteBuf track = body.alloc().compositeBuffer(2);
                track.addComponent(true, header);
                track.addComponent(true, body.retainedSlice(body.readerIndex() + span.offset + skip, span.length - skip));
                tracks.add(new Track(span.id, track));
            }
            return tracks;
        } catch (RuntimeException e) {
            tracks.forEach(t -> t.body.release());
            throw e;
        }
    }

    private static List<Span> spans(TagCursor in, int multitrackType, int sharedFourCc) {
        List<Span> spans = new ArrayList<>();
        boolean[] seen = new boolean[MAX_TRACKS];
        do {
            int fourCc = multitrackType == MANY_TRACKS_MANY_CODECS ? in.u32("track FourCC") : sharedFourCc;
            int id = in.u8("trackId");
            int length = multitrackType == ONE_TRACK ? in.remaining() : in.u24("sizeOfTrack");
            int offset = in.offset();
            in.skip(length, "track " + id + " data");
            if (seen[id]) {
                throw in.error("track " + id + " twice in one multitrack message");
            }
            seen[id] = true;
            spans.add(new Span(id, fourCc, offset, length));
        } while (multitrackType != ONE_TRACK && in.remaining() > 0);
        return spans;
    }

    private static ByteBuf videoHeader(ByteBuf body, int frameType, int packetType, Span span) {
        boolean legacy = span.fourCc == FourCc.AVC && packetType <= CODED_FRAMES_X;
        ByteBuf header = body.alloc().buffer(5, 5);
        if (legacy) {
            header.writeByte(frameType << 4 | LEGACY_AVC);
            header.writeByte(packetType == CODED_FRAMES_X ? CODED_FRAMES : packetType);
            if (packetType == CODED_FRAMES) {
                if (span.length < 3) {
                    header.release();
                    throw new FlvFormatException("video tag: truncated at track " + span.id + " CompositionTime");
                }
                header.writeMedium(body.getMedium(body.readerIndex() + span.offset));
            } else {
                header.writeMedium(0); // CompositionTime: 0 outside CodedFrames
            }
        } else {
            header.writeByte(0x80 | frameType << 4 | packetType);
            header.writeInt(span.fourCc);
        }
        return header;
    }

    private static ByteBuf audioHeader(ByteBuf body, int packetType, Span span) {
        if (span.fourCc == FourCc.AAC && (packetType == SEQUENCE_START || packetType == CODED_FRAMES)) {
            ByteBuf header = body.alloc().buffer(2, 2);
            header.writeByte(LEGACY_AAC_BYTE);
            header.writeByte(packetType); // AACPacketType: 0 AudioSpecificConfig, 1 raw
            return header;
        }
        ByteBuf header = body.alloc().buffer(5, 5);
        header.writeByte(AUDIO_EX_HEADER << 4 | packetType);
        header.writeInt(span.fourCc);
        return header;
    }

}
