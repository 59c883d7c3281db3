package fluxrelay.media.codec;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;

/**
 * Reads a track summary from a frame: picks the parser by codec (avcC and SPS for H.264, hvcC and
 * SPS for H.265, AudioSpecificConfig for AAC, OpusHead for Opus) and falls back to what the FLV
 * tag header says for codecs without a sequence header.
 *
 * <p>The frame's payload is read with absolute indexes from {@link MediaFrame#dataOffset()}; its
 * indexes do not move and its reference count is untouched.
 */
public final class CodecInfo {

    /** SoundRate of the legacy FLV audio tag header (FLV E.4.2.1). */
    private static final int[] FLV_SOUND_RATES = {5512, 11025, 22050, 44100};
    private static final int SOUND_FORMAT_EX_HEADER = 9;
    private static final int OPUS_HEAD_LENGTH = 19;

    private CodecInfo() {
    }

    /**
     * Summary of a video track from its sequence header.
     *
     * @throws IllegalArgumentException when the codec has sequence headers and this frame is not one
     * @throws CodecFormatException when the sequence header is malformed
     */
    public static VideoCodecInfo fromSequenceHeader(VideoFrame frame) {
        if (frame.codec() != VideoCodec.AVC && frame.codec() != VideoCodec.HEVC) {
            return VideoCodecInfo.unknown(frame.codec());
        }
        if (!frame.isSequenceHeader()) {
            throw new IllegalArgumentException("not a sequence header: " + frame.kind());
        }
        ByteBuf payload = frame.payload();
        int start = dataStart(frame);
        int length = payload.writerIndex() - start;
        if (frame.codec() == VideoCodec.AVC) {
            AvcDecoderConfig config = AvcDecoderConfig.parse(payload, start, length);
            AvcSps sps = config.firstSps();
            return new VideoCodecInfo(VideoCodec.AVC, config.codecString(), sps.profileName(), sps.levelName(),
                    sps.width(), sps.height(), sps.frameRate());
        }
        HevcDecoderConfig config = HevcDecoderConfig.parse(payload, start, length);
        HevcSps sps = config.firstSps();
        return new VideoCodecInfo(VideoCodec.HEVC, config.codecString(), sps.profileName(), sps.levelName(),
                sps.width(), sps.height(), sps.frameRate());
    }

    /**
     * Summary of an audio track: from the sequence header for AAC (and Opus when Enhanced RTMP
     * sends one), from the legacy tag header's rate and type bits for other legacy codecs.
     *
     * @throws IllegalArgumentException for an AAC frame that is not the sequence header
     * @throws CodecFormatException when the sequence header is malformed
     */
    public static AudioCodecInfo fromSequenceHeader(AudioFrame frame) {
        ByteBuf payload = frame.payload();
        if (!payload.isReadable()) {
            throw new CodecFormatException("empty audio payload");
        }
        int start = dataStart(frame);
        int length = payload.writerIndex() - start;
        boolean enhanced = payload.getUnsignedByte(payload.readerIndex()) >> 4 == SOUND_FORMAT_EX_HEADER;
        AudioCodec codec = frame.codec();
        if (codec == AudioCodec.AAC) {
            if (!frame.sequenceHeader()) {
                throw new IllegalArgumentException("not an AAC sequence header");
            }
            AudioSpecificConfig asc = AudioSpecificConfig.parse(payload, start, length);
            int rate = asc.extensionSampleRate() > 0 ? asc.extensionSampleRate() : asc.sampleRate();
            return new AudioCodecInfo(codec, asc.codecString(), asc.objectType(), rate, asc.channelCount());
        }
        if (enhanced) {
            if (codec == AudioCodec.OPUS && frame.sequenceHeader()) {
                return opus(payload, start, length);
            }
            return new AudioCodecInfo(codec, codecString(codec), 0, 0, 0);
        }
        return legacy(codec, payload.getUnsignedByte(payload.readerIndex()));
    }

    /** OpusHead (RFC 7845 5.1): magic, version, channel count; Opus always decodes at 48 kHz. */
    private static AudioCodecInfo opus(ByteBuf payload, int start, int length) {
        if (length < OPUS_HEAD_LENGTH || payload.getLong(start) != 0x4F70757348656164L) { // "OpusHead"
            throw new CodecFormatException("Opus sequence header is not an OpusHead of at least 19 bytes");
        }
        int channels = payload.getUnsignedByte(start + 9);
        return new AudioCodecInfo(AudioCodec.OPUS, codecString(AudioCodec.OPUS), 0, 48000, channels);
    }

    /** Legacy FLV audio tag header, FLV E.4.2.1: SoundRate and SoundType, with the fixed-rate formats. */
    private static AudioCodecInfo legacy(AudioCodec codec, int flags) {
        int rate = FLV_SOUND_RATES[(flags >> 2) & 0x03];
        int channels = (flags & 0x01) + 1;
        switch (codec) {
            case NELLYMOSER_8K, MP3_8K, G711_ALAW, G711_MULAW -> rate = 8000;
            case NELLYMOSER_16K, SPEEX -> rate = 16000;
            default -> { }
        }
        if (codec == AudioCodec.NELLYMOSER_8K || codec == AudioCodec.NELLYMOSER_16K || codec == AudioCodec.SPEEX) {
            channels = 1;
        }
        return new AudioCodecInfo(codec, codecString(codec), 0, rate, channels);
    }

    private static String codecString(AudioCodec codec) {
        return codec == AudioCodec.MP3 || codec == AudioCodec.MP3_8K ? "mp4a.40.34" : codec.shortName();
    }

    private static int dataStart(MediaFrame frame) {
        ByteBuf payload = frame.payload();
        if (frame.dataOffset() < 0 || frame.dataOffset() > payload.readableBytes()) {
            throw new CodecFormatException("data offset " + frame.dataOffset() + " outside a payload of "
                    + payload.readableBytes() + " bytes");
        }
        return payload.readerIndex() + frame.dataOffset();
    }
}
