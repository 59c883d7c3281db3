/**
 * Relay latency stamps: the publisher's send time in an H.264 SEI user-data-unregistered NAL unit
 * (ITU-T H.264 D.2.7) inside each video frame, and the clock both sides read. Pure: Netty buffers only.
 */
package fluxrelay.loadtest.stamp;
