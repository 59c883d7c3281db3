/**
 * The load generator's command line: {@code run} (default), {@code compare} and {@code bench}, the
 * usage text, and the parsing of options into a load plan.
 */
package fluxrelay.loadtest.cli;
