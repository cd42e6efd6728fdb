package io.kestra.sim.config;

/**
 * Everything a simulated server reads from its configuration, parsed and checked once at start.
 *
 * @param datasource the database and migration at start
 * @param server grace period, restart strategy, liveness
 * @param ports API and management ports
 * @param simulation simulator-only knobs
 */
public record Settings(
    DatasourceSettings datasource,
    ServerSettings server,
    PortSettings ports,
    SimulationSettings simulation) {

  /** Environment variable naming the fault file when {@code kestra.sim.faults} is not set. */
  public static final String FAULTS_ENV = "KESTRA_SIM_FAULTS";

  /**
   * Reads the settings.
   *
   * @param faultsFromEnvironment value of {@link #FAULTS_ENV}, or null
   * @throws ConfigException naming the property at fault
   */
  public static Settings from(SimConfig config, String faultsFromEnvironment) {
    return new Settings(
        DatasourceSettings.from(config),
        ServerSettings.from(config),
        PortSettings.from(config),
        SimulationSettings.from(config, faultsFromEnvironment));
  }
}
