package io.kestra.upgrade.common;

/**
 * What an agent saw of its component when it answered.
 *
 * @param version the Kestra version of the component (running, or last run when stopped), canonical
 *     form; {@code null} when unknown
 * @param state the component's state
 * @param ready whether {@code /health/readiness} answered UP
 * @param inFlightTasks task runs still running on the component (workers), 0 otherwise
 */
public record Observed(String version, ComponentState state, boolean ready, int inFlightTasks) {

  public Observed {
    if (state == null) {
      state = ComponentState.UNKNOWN;
    }
  }

  /** Adds what is wrong with this observation to {@code v}, naming fields under {@code field}. */
  void check(String field, Violations v) {
    v.shortText(field + ".version", version).count(field + ".inFlightTasks", inFlightTasks);
  }

  /** Nothing observed: state UNKNOWN, not ready. */
  public static Observed unknown() {
    return new Observed(null, ComponentState.UNKNOWN, false, 0);
  }
}
