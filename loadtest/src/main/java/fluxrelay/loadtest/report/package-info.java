/**
 * Reports of a load run: each step's figures as CSV (RFC 4180), JSON and markdown tables, and the
 * side-by-side comparison of two runs of the same ladder.
 */
package fluxrelay.loadtest.report;
