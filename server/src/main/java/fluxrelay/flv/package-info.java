/**
 * FLV tags to and from protocol-neutral {@link fluxrelay.media.MediaFrame}s: the audio, video and
 * script tag headers of the FLV spec v10.1 (Annex E: E.2 file header, E.3 PreviousTagSize, E.4.1
 * tag header, E.4.2 audio, E.4.3 video, E.4.4 script data) and Enhanced RTMP v2 (ExVideoTagHeader
 * and ExAudioTagHeader: IsExHeader, FourCC, VideoPacketType and AudioPacketType, ModEx,
 * Multitrack). RTMP message payloads are FLV tag bodies, so ingest uses the same demuxer.
 *
 * <p>May import {@code fluxrelay.media}, {@code fluxrelay.media.codec} and Netty buffers, never
 * {@code fluxrelay.rtmp}. Malformed input ends in {@link fluxrelay.flv.FlvFormatException}.
 * Ownership: {@link fluxrelay.flv.FlvTagDemuxer#demux} takes the body's reference; writers only
 * frame payloads and never copy or release them; {@link fluxrelay.flv.FlvReader} hands out
 * retained slices.
 */
package fluxrelay.flv;
