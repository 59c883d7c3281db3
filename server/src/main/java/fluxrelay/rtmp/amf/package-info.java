/**
 * Action Message Format: the sealed {@link fluxrelay.rtmp.amf.AmfValue} model, and readers and
 * writers for AMF0 and AMF3 as RTMP command and data messages carry them.
 *
 * <p>Specifications implemented:
 * <ul>
 *   <li>Adobe, <i>Action Message Format -- AMF 0</i> (amf0-file-format-specification, December
 *       2007): section 2 (data types 2.2 to 2.18) and 3.1 (the avmplus-object marker that switches
 *       one value to AMF3). {@link fluxrelay.rtmp.amf.Amf0Reader}, {@link fluxrelay.rtmp.amf.Amf0Writer}.
 *   <li>Adobe, <i>AMF 3 Specification</i> (amf-file-format-spec, January 2013): 1.3.1 (U29), 1.3.2
 *       (strings), section 3 (data types 3.2 to 3.16, with the string, object and traits reference
 *       tables). {@link fluxrelay.rtmp.amf.Amf3Reader}, {@link fluxrelay.rtmp.amf.Amf3Writer}.
 * </ul>
 *
 * <p>Readers treat input as hostile: every length, count and reference is checked against the bytes
 * that remain and against an {@link fluxrelay.rtmp.amf.AmfLimits} before anything is allocated for
 * it, and every failure is an {@link fluxrelay.rtmp.amf.AmfException} naming what and at which byte
 * offset. Readers and writers never retain or release the buffers they are given.
 *
 * <p>Depends only on Netty buffers; knows nothing of RTMP messages, sessions or configuration.
 */
package fluxrelay.rtmp.amf;
