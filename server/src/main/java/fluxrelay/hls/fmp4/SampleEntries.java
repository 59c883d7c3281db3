package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * Sample entries of the {@code stsd}: visual {@code avc1}/{@code hvc1} (14496-12 12.1.3, 14496-15 5.4.2 and
 * 8.4.1: parameter sets only in the configuration record) and audio {@code mp4a} with its {@code esds}
 * (14496-12 12.2.3, 14496-14 5.6, descriptors of 14496-1 7.2.6).
 */
final class SampleEntries {

    private static final int ES_DESCRIPTOR = 0x03;
    private static final int DECODER_CONFIG_DESCRIPTOR = 0x04;
    private static final int DECODER_SPECIFIC_INFO = 0x05;
    private static final int SL_CONFIG_DESCRIPTOR = 0x06;
    /** objectTypeIndication of MPEG-4 audio (14496-1 Table 5). */
    private static final int OBJECT_TYPE_AAC = 0x40;
    /** streamType AudioStream (0x05) shifted, upStream 0, reserved 1. */
    private static final int STREAM_TYPE_AUDIO = 0x05 << 2 | 1;

    private SampleEntries() {
    }

    static void write(ByteBuf out, TrackConfig track) {
        if (track instanceof TrackConfig.Video video) {
            writeVisual(out, video);
        } else if (track instanceof TrackConfig.Audio audio) {
            writeAudio(out, audio);
        }
    }

    private static void writeVisual(ByteBuf out, TrackConfig.Video video) {
        int entry = Box.begin(out, video.hevc() ? "hvc1" : "avc1");
        out.writeZero(6);
        out.writeShort(1); // data_reference_index
        out.writeZero(2 + 2 + 12); // pre_defined, reserved, pre_defined
        out.writeShort(video.width());
        out.writeShort(video.height());
        out.writeInt(0x00480000); // 72 dpi
        out.writeInt(0x00480000);
        out.writeInt(0);
        out.writeShort(1); // frame_count
        out.writeZero(32); // compressorname
        out.writeShort(0x0018); // depth
        out.writeShort(0xFFFF); // pre_defined -1
        int config = Box.begin(out, video.hevc() ? "hvcC" : "avcC");
        out.writeBytes(video.decoderConfig());
        Box.end(out, config);
        Box.end(out, entry);
    }

    private static void writeAudio(ByteBuf out, TrackConfig.Audio audio) {
        int entry = Box.begin(out, "mp4a");
        out.writeZero(6);
        out.writeShort(1); // data_reference_index
        out.writeZero(8);
        out.writeShort(audio.channels());
        out.writeShort(16); // samplesize
        out.writeZero(4);
        out.writeInt(audio.sampleRate() > 0xFFFF ? 0 : audio.sampleRate() << 16);
        int esds = Box.beginFull(out, "esds", 0, 0);
        byte[] asc = audio.audioSpecificConfig();
        int specific = 2 + asc.length; // short form lengths below 128: ASCs are a few bytes
        int decoderConfig = 13 + specific;
        int es = 3 + (2 + decoderConfig) + 3;
        descriptor(out, ES_DESCRIPTOR, es);
        out.writeShort(audio.trackId()); // ES_ID
        out.writeByte(0); // no dependency, URL or OCR
        descriptor(out, DECODER_CONFIG_DESCRIPTOR, decoderConfig);
        out.writeByte(OBJECT_TYPE_AAC);
        out.writeByte(STREAM_TYPE_AUDIO);
        out.writeMedium(0); // bufferSizeDB
        out.writeInt(0); // maxBitrate
        out.writeInt(0); // avgBitrate
        descriptor(out, DECODER_SPECIFIC_INFO, asc.length);
        out.writeBytes(asc);
        descriptor(out, SL_CONFIG_DESCRIPTOR, 1);
        out.writeByte(2); // predefined: MP4 files
        Box.end(out, esds);
        Box.end(out, entry);
    }

    /** A descriptor tag and its length (14496-1 8.3.3: 7 bits per byte, high bit for more). */
    private static void descriptor(ByteBuf out, int tag, int length) {
        if (length > 0x7F) {
            throw new IllegalArgumentException("descriptor too long: " + length);
        }
        out.writeByte(tag);
        out.writeByte(length);
    }
}
