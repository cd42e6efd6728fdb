package io.kestra.upgrade.coordinator.api;

/**
 * The roles of the REST API, carried in a bearer token's {@code groups} claim: a {@code viewer}
 * reads (GET), an {@code operator} reads and acts (everything else). {@code /q/health/*} and {@code
 * /q/metrics} need none: probes and Prometheus scrapes are anonymous.
 */
public final class Roles {

  /** Reads upgrades, plans nothing, changes nothing. */
  public static final String VIEWER = "viewer";

  /** Starts, plans and controls upgrades, and retires agents. */
  public static final String OPERATOR = "operator";

  private Roles() {}
}
