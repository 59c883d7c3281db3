/**
 * Configuration: loads HOCON ({@code reference.conf} defaults, a file, environment), validates every value
 * once with an error naming the key, and hands each component its own immutable record.
 *
 * <p>The only package that imports Typesafe Config.
 */
package fluxrelay.config;
