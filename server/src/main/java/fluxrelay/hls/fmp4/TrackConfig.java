package fluxrelay.hls.fmp4;

/**
 * A track of a fragmented MP4 stream, as its initialization segment describes it.
 */
public sealed interface TrackConfig permits TrackConfig.Video, TrackConfig.Audio {

    /** track_ID, from 1. */
    int trackId();

    /** Ticks per second of the track's media times. */
    int timescale();

    /**
     * H.264 ({@code avc1} with {@code avcC}) or H.265 ({@code hvc1} with {@code hvcC}), 14496-15 5.4 and 8.4.
     *
     * @param hevc true for H.265
     * @param decoderConfig the AVCDecoderConfigurationRecord or HEVCDecoderConfigurationRecord, as in FLV
     * @param width picture width in pixels
     * @param height picture height in pixels
     */
    record Video(int trackId, int timescale, boolean hevc, byte[] decoderConfig, int width, int height)
            implements TrackConfig {

        public Video {
            decoderConfig = decoderConfig.clone();
            check(trackId, timescale);
        }

        @Override
        public byte[] decoderConfig() {
            return decoderConfig.clone();
        }
    }

    /**
     * AAC ({@code mp4a} with an {@code esds} carrying the AudioSpecificConfig, 14496-14 5.6).
     *
     * @param sampleRate sampling rate, Hz (also written to the sample entry)
     * @param channels channel count
     * @param audioSpecificConfig the AudioSpecificConfig as in FLV
     */
    record Audio(int trackId, int timescale, int sampleRate, int channels, byte[] audioSpecificConfig)
            implements TrackConfig {

        public Audio {
            audioSpecificConfig = audioSpecificConfig.clone();
            check(trackId, timescale);
        }

        @Override
        public byte[] audioSpecificConfig() {
            return audioSpecificConfig.clone();
        }
    }

    private static void check(int trackId, int timescale) {
        if (trackId < 1 || timescale < 1) {
            throw new IllegalArgumentException("track id and timescale must be positive");
        }
    }
}
