/**
 * Run directories: the records that {@code train --run-dir}, {@code prune --run-dir} and {@code demo}
 * write while they work and that {@code report} reads back. One folder per run; what is in it, field
 * by field, is in {@code docs/run-directory.md}. {@link dev.apoptosis.runs.RunDirectory} writes,
 * {@link dev.apoptosis.runs.RunRecords} reads (refusing a format version it does not know, and naming
 * the file and line of anything malformed), both through Jackson.
 */
package dev.apoptosis.runs;
