package io.kestra.upgrade.common;

import java.util.Locale;

/**
 * The kinds of Kestra server an agent can drive, as named on Kestra's command line ({@code kestra
 * server <kind>}).
 */
public enum ComponentKind {
  EXECUTOR,
  WORKER,
  SCHEDULER,
  WEBSERVER,
  INDEXER,
  STANDALONE;

  /** The name used on Kestra's command line and in agent ids, e.g. {@code worker}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a kind from its command-line name, case-insensitively.
   *
   * @throws IllegalArgumentException naming the accepted kinds when {@code name} is none of them
   */
  public static ComponentKind fromWire(String name) {
    if (name != null) {
      for (ComponentKind kind : values()) {
        if (kind.wireName().equalsIgnoreCase(name.trim())) {
          return kind;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown component kind '"
            + name
            + "': expected one of executor, worker, scheduler, webserver, indexer, standalone");
  }
}
