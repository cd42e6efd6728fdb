package io.kestra.upgrade.common;

/**
 * What an agent saw of its component when it answered.
 *
 * @param version the Kestra version of the component (running, or last run when stopped), canonical
 *     form; {@code null} when unknown
 * @param state the component's state
 * @param ready whether {@code /health/readiness} answered UP
 * @param inFlightTasks task runs still running on the component (workers), 0 otherwise
 * @param problem why the agent cannot see or drive its component, when it cannot (the Docker engine
 *     does not answer, the container is gone), in one line of at most {@link Violations#MAX_SHORT}
 *     characters; {@code null} otherwise
 */
public record Observed(
    String version, ComponentState state, boolean ready, int inFlightTasks, String problem) {

  public Observed {
    if (state == null) {
      state = ComponentState.UNKNOWN;
    }
  }

  /** An observation without a problem. */
  public Observed(String version, ComponentState state, boolean ready, int inFlightTasks) {
    this(version, state, ready, inFlightTasks, null);
  }

  /** Adds what is wrong with this observation to {@code v}, naming fields under {@code field}. */
  void check(String field, Violations v) {
    v.shortText(field + ".version", version)
        .count(field + ".inFlightTasks", inFlightTasks)
        .shortText(field + ".problem", problem);
  }

  /** Nothing observed: state UNKNOWN, not ready. */
  public static Observed unknown() {
    return new Observed(null, ComponentState.UNKNOWN, false, 0);
  }
}
