package fluxrelay.media.codec;

import fluxrelay.media.AudioCodec;

/**
 * What a room state shows about an audio track, read from its sequence header or (for codecs
 * without one) the FLV audio tag header.
 *
 * @param codec the codec
 * @param codecString RFC 6381 codecs parameter ({@code mp4a.40.2}); the codec's short name where none applies
 * @param objectType MPEG-4 audio object type for AAC, else 0
 * @param sampleRate sampling frequency, Hz, 0 when unknown
 * @param channels channel count, 0 when unknown
 */
public record AudioCodecInfo(AudioCodec codec, String codecString, int objectType, int sampleRate, int channels) {
}
