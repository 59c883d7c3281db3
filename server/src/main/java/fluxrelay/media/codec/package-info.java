/**
 * Codec configuration parsing for the stream's tracks, pure and protocol-neutral: decoder
 * configuration records (ISO/IEC 14496-15 5.3.3.1 {@code avcC}, 8.3.3.1 {@code hvcC}), sequence
 * parameter sets (H.264 7.3.2.1.1 with VUI E.1.1; H.265 7.3.2.2.1 with profile_tier_level 7.3.3,
 * st_ref_pic_set 7.3.7 and VUI E.2.1), Exp-Golomb bit reading (H.264 9.1), emulation prevention
 * removal (H.264 7.4.1), the MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 1.6.2.1) and ADTS
 * headers (1.A.2), length-prefixed NAL units to Annex B, and RFC 6381 codecs strings
 * (ISO/IEC 14496-15 Annex E).
 *
 * <p>May import only {@code fluxrelay.media} and Netty buffers. Every malformed input ends in
 * {@link fluxrelay.media.codec.CodecFormatException}; lengths are checked against the bytes
 * present before anything is allocated for them. Buffers handed in are read with absolute
 * indexes and never released or retained here.
 */
package fluxrelay.media.codec;
