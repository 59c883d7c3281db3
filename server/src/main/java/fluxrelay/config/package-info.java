/**
 * Configuration: loads HOCON ({@code reference.conf} defaults, a file, environment), refuses keys it does not know,
 * validates every value once with an error naming the key, turns policies and modes into enums, and hands each
 * component its own immutable record.
 *
 * <p>The only package that imports Typesafe Config. It imports no other project package: its enums (bandwidth
 * policy, HLS renditions) are mapped to their components' types by the composition root.
 */
package fluxrelay.config;
