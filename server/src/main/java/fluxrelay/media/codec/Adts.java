package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;

/**
 * Writes ADTS headers (ISO/IEC 14496-3 1.A.2.2.1, adts_fixed_header and adts_variable_header),
 * the framing an AAC elementary stream in MPEG-TS (HLS) needs before each raw frame.
 */
public final class Adts {

    /** Header length without CRC (protection_absent = 1). */
    public static final int HEADER_LENGTH = 7;
    private static final int MAX_FRAME_LENGTH = (1 << 13) - 1;

    private Adts() {
    }

    /**
     * Writes the 7-byte header for one raw AAC frame of {@code rawFrameLength} bytes.
     *
     * @throws CodecFormatException when ADTS cannot express the config (object type above 4,
     *     a rate outside the index table, a channel configuration above 7) or the frame is too long
     */
    public static void writeHeader(ByteBuf out, AudioSpecificConfig asc, int rawFrameLength) {
        if (rawFrameLength < 0) {
            throw new IllegalArgumentException("rawFrameLength " + rawFrameLength);
        }
        int profile = asc.coreObjectType() - 1;
        if (profile < 0 || profile > 3) {
            throw new CodecFormatException("ADTS cannot carry audio object type " + asc.coreObjectType());
        }
        int rateIndex = rateIndex(asc);
        int channels = asc.channelConfig();
        if (channels > 7) {
            throw new CodecFormatException("ADTS cannot carry channel configuration " + channels);
        }
        int frameLength = HEADER_LENGTH + rawFrameLength;
        if (frameLength > MAX_FRAME_LENGTH) {
            throw new CodecFormatException("ADTS frame of " + frameLength + " bytes exceeds " + MAX_FRAME_LENGTH);
        }
        out.writeByte(0xFF); // syncword 0xFFF ...
        out.writeByte(0xF1); // ... ID 0 (MPEG-4), layer 00, protection_absent 1
        out.writeByte(profile << 6 | rateIndex << 2 | channels >> 2); // private_bit 0
        out.writeByte((channels & 0x03) << 6 | frameLength >> 11); // original/copy, home, copyright bits 0
        out.writeByte(frameLength >> 3);
        out.writeByte((frameLength & 0x07) << 5 | 0x1F); // adts_buffer_fullness 0x7FF (variable rate) ...
        out.writeByte(0xFC); // ... and number_of_raw_data_blocks_in_frame 0
    }

    private static int rateIndex(AudioSpecificConfig asc) {
        if (asc.sampleRateIndex() < AudioSpecificConfig.SAMPLE_RATES.length) {
            return asc.sampleRateIndex();
        }
        for (int i = 0; i < AudioSpecificConfig.SAMPLE_RATES.length; i++) {
            if (AudioSpecificConfig.SAMPLE_RATES[i] == asc.sampleRate()) {
                return i;
            }
        }
        throw new CodecFormatException("ADTS cannot carry sampling frequency " + asc.sampleRate());
    }
}
