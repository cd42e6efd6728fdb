package io.kestra.sim.json;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON mapper (API bodies, service instance values read back), in a holder of its own:
 * Jackson's mapper is slow to initialise, and the health endpoints must not pay for it on the
 * readiness path.
 */
public final class Json {

  /** The mapper. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
