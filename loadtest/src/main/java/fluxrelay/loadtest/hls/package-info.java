/**
 * Simulated HLS players (RFC 8216): playlist parsing (section 4), live start and reload timing
 * (6.3.3, 6.3.4), segment downloads on one keep-alive connection, and a playback model that turns
 * late segments into stalls.
 */
package fluxrelay.loadtest.hls;
