package io.kestra.sim.version;

import io.kestra.upgrade.common.KestraVersion;

/**
 * A Kestra version the simulator knows, with the schema level it needs.
 *
 * @param version the Kestra version, flavour included ({@code 0.21.4-no-plugins})
 * @param schemaLevel the highest Flyway migration this version needs (and migrates to)
 */
public record SimVersion(KestraVersion version, int schemaLevel) {

  @Override
  public String toString() {
    return version.toString();
  }
}
