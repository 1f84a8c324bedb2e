/**
 * What pen's programs share on their command lines: {@link dev.pen.api.cli.Getopt}, which reads options as glibc's
 * {@code getopt_long} does, and {@link dev.pen.api.cli.Version}, which {@code --version} prints.
 */
package dev.pen.api.cli;
