package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;

/**
 * An MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1): the body of an AAC sequence header.
 *
 * <p>Reads the object type (with the escape to 32 + 6 bits), the sampling frequency (from the
 * index, or the explicit 24-bit value after index 15), the channel configuration, and for
 * explicitly signalled SBR/PS (object types 5 and 29) the extension rate and underlying type.
 * The type-specific config that follows is kept only in {@link #raw()}.
 *
 * @param objectType audio object type as first signalled: 2 AAC LC, 5 SBR (HE-AAC), 29 PS (HE-AAC v2)
 * @param sampleRateIndex samplingFrequencyIndex, 15 when the rate is explicit
 * @param sampleRate core sampling frequency, Hz
 * @param channelConfig channelConfiguration (0: defined in the program config element)
 * @param coreObjectType the object type under SBR/PS, else {@code objectType}; what ADTS carries
 * @param extensionSampleRate SBR output sampling frequency, Hz, or 0 without explicit SBR/PS
 * @param raw the whole config as given, for decoders and {@code esds} boxes
 */
public record AudioSpecificConfig(int objectType, int sampleRateIndex, int sampleRate, int channelConfig,
                                  int coreObjectType, int extensionSampleRate, byte[] raw) {

    /** Sampling frequencies by samplingFrequencyIndex 0..12 (Table 1.18). */
    static final int[] SAMPLE_RATES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350
    };
    /** Channel count by channelConfiguration (Table 1.19, with the 2009 additions 11..14). */
    private static final int[] CHANNELS = {0, 1, 2, 3, 4, 5, 6, 8, 0, 0, 0, 7, 8, 24, 8, 0};

    private static final int SBR = 5;
    private static final int PS = 29;
    private static final int ER_BSAC = 22;

    /** Parses {@code length} bytes of {@code data} from absolute index {@code offset}; indexes do not move. */
    public static AudioSpecificConfig parse(ByteBuf data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.capacity() - length) {
            throw new IllegalArgumentException("region " + offset + "+" + length + " outside buffer");
        }
        byte[] raw = new byte[length];
        data.getBytes(offset, raw);
        return parse(raw);
    }

    /** Parses a whole AudioSpecificConfig; the array becomes {@link #raw()}. */
    public static AudioSpecificConfig parse(byte[] raw) {
        if (raw.length < 2) {
            throw new CodecFormatException("AudioSpecificConfig: " + raw.length + " bytes is too short");
        }
        BitReader in = new BitReader(raw);
        int objectType = readObjectType(in);
        int sampleRateIndex = in.readBits(4);
        int sampleRate = readSampleRate(in, sampleRateIndex);
        int channelConfig = in.readBits(4);
        int coreObjectType = objectType;
        int extensionSampleRate = 0;
        if (objectType == SBR || objectType == PS) {
            extensionSampleRate = readSampleRate(in, in.readBits(4));
            coreObjectType = readObjectType(in);
            if (coreObjectType == ER_BSAC) {
                in.readBits(4); // extensionChannelConfiguration
            }
        }
        return new AudioSpecificConfig(objectType, sampleRateIndex, sampleRate, channelConfig, coreObjectType,
                extensionSampleRate, raw);
    }

    /** GetAudioObjectType(), 1.6.2.1: 5 bits, or 32 plus 6 more after the escape value 31. */
    private static int readObjectType(BitReader in) {
        int type = in.readBits(5);
        if (type == 31) {
            type = 32 + in.readBits(6);
        }
        if (type == 0) {
            throw new CodecFormatException("AudioSpecificConfig: audio object type 0 (null)");
        }
        return type;
    }

    private static int readSampleRate(BitReader in, int index) {
        if (index == 15) {
            int rate = in.readBits(24);
            if (rate == 0) {
                throw new CodecFormatException("AudioSpecificConfig: explicit sampling frequency 0");
            }
            return rate;
        }
        if (index >= SAMPLE_RATES.length) {
            throw new CodecFormatException("AudioSpecificConfig: reserved samplingFrequencyIndex " + index);
        }
        return SAMPLE_RATES[index];
    }

    /** Number of channels, 0 when the program config element defines them. */
    public int channelCount() {
        return CHANNELS[channelConfig];
    }

    /** The RFC 6381 codecs parameter, e.g. {@code mp4a.40.2} (RFC 6381 3.3). */
    public String codecString() {
        return "mp4a.40." + objectType;
    }

    /** Display name of the object type, e.g. {@code LC}. */
    public String objectTypeName() {
        return switch (objectType) {
            case 1 -> "Main";
            case 2 -> "LC";
            case 3 -> "SSR";
            case 4 -> "LTP";
            case SBR -> "HE-AAC";
            case PS -> "HE-AACv2";
            case 23 -> "LD";
            case 39 -> "ELD";
            default -> "object type " + objectType;
        };
    }
}
