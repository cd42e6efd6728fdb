package io.kestra.sim.management;

import java.io.File;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** The health indicators the simulator reports, named as Micronaut names its own. */
final class Indicators {

  /** Micronaut's default {@code endpoints.health.disk-space.threshold}: 10 MB. */
  private static final long DISK_THRESHOLD = 10L * 1024 * 1024;

  private Indicators() {}

  /** {@code service}: the application is started and ready (the simulator's readiness). */
  static HealthIndicator service(BooleanSupplier ready) {
    return simple("service", ready);
  }

  /** {@code jdbc}: the database answers (the last heartbeat reached it). */
  static HealthIndicator jdbc(BooleanSupplier reachable) {
    return simple("jdbc", reachable);
  }

  /** {@code diskSpace}: free space in the working folder above the threshold. */
  static HealthIndicator diskSpace() {
    File here = new File(".").getAbsoluteFile();
    return new HealthIndicator() {
      @Override
      public String name() {
        return "diskSpace";
      }

      @Override
      public boolean isUp() {
        return here.getUsableSpace() >= DISK_THRESHOLD;
      }

      @Override
      public Map<String, Object> details() {
        Map<String, Object> details = new TreeMap<>();
        details.put("total", here.getTotalSpace());
        details.put("free", here.getUsableSpace());
        details.put("threshold", DISK_THRESHOLD);
        return details;
      }
    };
  }

  private static HealthIndicator simple(String name, BooleanSupplier up) {
    return new HealthIndicator() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean isUp() {
        return up.getAsBoolean();
      }
    };
  }
}
