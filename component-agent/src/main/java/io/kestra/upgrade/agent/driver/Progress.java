package io.kestra.upgrade.agent.driver;

/**
 * Where a driver says how long work stands, e.g. {@code "draining: 3 task run(s) still running"}.
 * The agent repeats the latest report in its PROGRESS acks at a steady pace, so a driver reports
 * when something changes and need not keep time itself.
 */
@FunctionalInterface
public interface Progress {

  /** Records the current status of the running operation. Cheap and never blocking. */
  void report(String message);

  /** A sink for callers that do not publish progress. */
  static Progress none() {
    return message -> {};
  }
}
