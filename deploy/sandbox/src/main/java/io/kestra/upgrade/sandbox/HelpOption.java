package io.kestra.upgrade.sandbox;

import picocli.CommandLine.Option;

/** {@code -h}, {@code --help} on every command (picocli's standard mixin would add a --version). */
final class HelpOption {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;
}
