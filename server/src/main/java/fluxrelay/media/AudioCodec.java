package fluxrelay.media;

/** Audio codecs an FLV publisher can send (FLV spec E.4.2.1 SoundFormat). */
public enum AudioCodec {
    LINEAR_PCM_PLATFORM("pcm"),
    ADPCM("adpcm"),
    MP3("mp3"),
    LINEAR_PCM_LE("pcm_le"),
    NELLYMOSER_16K("nellymoser16k"),
    NELLYMOSER_8K("nellymoser8k"),
    NELLYMOSER("nellymoser"),
    G711_ALAW("alaw"),
    G711_MULAW("mulaw"),
    AAC("mp4a"),
    SPEEX("speex"),
    MP3_8K("mp3_8k"),
    DEVICE_SPECIFIC("device"),
    OPUS("Opus"),
    AC3("ac-3"),
    EAC3("ec-3"),
    FLAC("fLaC"),
    UNKNOWN("unknown");

    private final String shortName;

    AudioCodec(String shortName) {
        this.shortName = shortName;
    }

    /** Short codec name for logs and the room state. */
    public String shortName() {
        return shortName;
    }
}
