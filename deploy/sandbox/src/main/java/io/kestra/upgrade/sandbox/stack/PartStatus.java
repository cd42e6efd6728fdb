package io.kestra.upgrade.sandbox.stack;

/**
 * A part's line in {@code status}.
 *
 * @param name the part
 * @param state {@code running}, {@code stopped}, {@code up}, {@code down}, {@code installed}...
 * @param pid its process id, or {@code -}
 * @param where its ports, URLs or folder
 */
public record PartStatus(String name, String state, String pid, String where) {

  /** The status of a part that is one process. */
  static PartStatus of(String name, ManagedProcess process, String where) {
    return process
        .handle()
        .map(h -> new PartStatus(name, "running", Long.toString(h.pid()), where))
        .orElseGet(() -> new PartStatus(name, "stopped", "-", where));
  }

  /** One line, in columns. */
  public String line() {
    return String.format("%-22s %-9s %-8s %s", name, state, pid, where);
  }
}
