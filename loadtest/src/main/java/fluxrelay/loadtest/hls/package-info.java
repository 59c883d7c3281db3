/**
 * Simulated HLS players (RFC 8216): playlist parsing (section 4), live start and reload timing
 * (6.3.3, 6.3.4), segment downloads on one keep-alive connection, and a playback model that turns
 * late segments into stalls; and Low-Latency HLS players (RFC 8216bis 4.4 parts, 6.2.5.2 blocking
 * playlist reload) measuring each part's delivery after its announcement.
 */
package fluxrelay.loadtest.hls;
