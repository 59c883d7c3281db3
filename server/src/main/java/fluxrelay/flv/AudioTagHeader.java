package fluxrelay.flv;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import io.netty.buffer.ByteBuf;

/**
 * Reads the audio tag header: legacy AudioTagHeader (FLV spec v10.1 E.4.2.1, with AACPacketType)
 * or Enhanced RTMP's ExAudioTagHeader (SoundFormat 9, AudioPacketType, ModEx, Multitrack, FourCC).
 *
 * <p>{@link AudioFrame} has no packet kind, so an enhanced packet that is neither a single-track
 * SequenceStart nor CodedFrames (SequenceEnd, MultichannelConfig, Multitrack, reserved types) is
 * carried through as {@link AudioCodec#UNKNOWN}: a packager must not read it as codec data.
 */
final class AudioTagHeader {

    private static final int EX_HEADER = 9;
    private static final int LEGACY_AAC = 10;

    private static final int SEQUENCE_START = 0;
    private static final int CODED_FRAMES = 1;
    private static final int MULTITRACK = 5;
    private static final int MANY_TRACKS_MANY_CODECS = 2;

    private static final AudioCodec[] SOUND_FORMATS = {
        AudioCodec.LINEAR_PCM_PLATFORM, AudioCodec.ADPCM, AudioCodec.MP3, AudioCodec.LINEAR_PCM_LE,
        AudioCodec.NELLYMOSER_16K, AudioCodec.NELLYMOSER_8K, AudioCodec.NELLYMOSER, AudioCodec.G711_ALAW,
        AudioCodec.G711_MULAW, AudioCodec.UNKNOWN, AudioCodec.AAC, AudioCodec.SPEEX,
        AudioCodec.UNKNOWN, AudioCodec.UNKNOWN, AudioCodec.MP3_8K, AudioCodec.DEVICE_SPECIFIC
    };

    private AudioTagHeader() {
    }

    /** The frame for {@code body}, which it holds without retaining. */
    static AudioFrame read(long timestamp, ByteBuf body) {
        TagCursor in = new TagCursor(body, "audio tag");
        int first = in.u8("AudioTagHeader");
        int soundFormat = first >> 4;
        if (soundFormat == EX_HEADER) {
            return enhanced(timestamp, body, in, first & 0x0F);
        }
        if (soundFormat == LEGACY_AAC) {
            int packetType = in.u8("AACPacketType");
            if (packetType > 1) {
                throw in.error("AACPacketType " + packetType);
            }
            return new AudioFrame(timestamp, AudioCodec.AAC, packetType == 0, in.offset(), body);
        }
        return new AudioFrame(timestamp, SOUND_FORMATS[soundFormat], false, in.offset(), body);
    }

    private static AudioFrame enhanced(long timestamp, ByteBuf body, TagCursor in, int packetType) {
        packetType = ModEx.skip(in, packetType, "audioPacketModExType");
        if (packetType == MULTITRACK) {
            int multitrackType = in.u8("audioMultitrackType") >> 4;
            if (multitrackType != MANY_TRACKS_MANY_CODECS) {
                in.u32("FourCC");
            }
            return new AudioFrame(timestamp, AudioCodec.UNKNOWN, false, in.offset(), body);
        }
        AudioCodec codec = FourCc.audioCodec(in.u32("FourCC"));
        if (packetType != SEQUENCE_START && packetType != CODED_FRAMES) {
            codec = AudioCodec.UNKNOWN;
        }
        return new AudioFrame(timestamp, codec, packetType == SEQUENCE_START && codec != AudioCodec.UNKNOWN,
                in.offset(), body);
    }
}
