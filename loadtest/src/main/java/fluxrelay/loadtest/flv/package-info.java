/**
 * Simulated HTTP-FLV players: one GET, an endless FLV body followed tag by tag (FLV spec v10.1 E.2-E.4)
 * without copying, for frame counts, keyframes and latency stamps.
 */
package fluxrelay.loadtest.flv;
