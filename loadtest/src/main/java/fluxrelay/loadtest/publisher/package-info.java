/**
 * Simulated encoders: RTMP publishers that replay an in-memory FLV file in real time (RTMP spec 7.2.2.6
 * publish; FLV spec E.4 tags as RTMP audio, video and data messages) with a latency stamp in every video
 * frame.
 */
package fluxrelay.loadtest.publisher;
