package io.kestra.sim.cli;

/** The values of {@code -l/--log-level}: picocli matches them case-sensitively, as in Kestra. */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR
}
