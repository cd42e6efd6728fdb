package io.kestra.upgrade.sandbox.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Kestra server binds an API port and a management port, as real Kestra does: on one machine
 * each needs its own pair, and none may be another part's.
 */
class FleetPortsTest {

  private final FleetSpec fleet = FleetSpec.standard("sandbox");

  @Test
  void everyServerHasItsOwnApiAndManagementPortsAndNoneIsAnotherParts() {
    assertOwnPorts(fleet);
    assertOwnPorts(FleetSpec.rolling("sandbox"));
  }

  @Test
  void theRollingFleetHasTwoWebserversBehindTheProbeTheFirstOnTheKestraApiPort() {
    FleetSpec rolling = FleetSpec.rolling("sandbox");

    assertThat(rolling.apiServers())
        .extracting(FleetSpec.Server::instance)
        .containsExactly("webserver-1", "webserver-2");
    assertThat(rolling.apiServer().apiPort()).isEqualTo(Ports.KESTRA_API);
    assertThat(rolling.servers()).filteredOn(s -> s.kind().equals("worker")).hasSize(3);
  }

  private static void assertOwnPorts(FleetSpec fleet) {
    List<Integer> ports =
        new ArrayList<>(
            List.of(Ports.POSTGRES, Ports.KAFKA, Ports.KAFKA_CONTROLLER, Ports.COORDINATOR));
    for (FleetSpec.Server s : fleet.servers()) {
      assertThat(s.apiPort()).as(s.instance()).isPositive();
      ports.add(s.apiPort());
      ports.add(s.managementPort());
    }
    assertThat(ports).doesNotHaveDuplicates().hasSize(4 + 2 * fleet.servers().size());
  }

  @Test
  void usersCallTheWebserverOnTheSandboxsKestraApiPort() {
    assertThat(fleet.apiServer().instance()).isEqualTo("webserver-1");
    assertThat(fleet.apiServer().apiPort()).isEqualTo(Ports.KESTRA_API);
  }

  @Test
  void configOfAWorkerNamesItsApiPortAndItsManagementPort() {
    FleetSpec.Server worker = fleet.servers().get(1);

    String yaml =
        KestraConfig.yaml("jdbc:postgresql://localhost:1/kestra", "u", "p", "20s", worker);

    assertThat(yaml)
        .contains("endpoints:\n  all:\n    port: " + worker.managementPort() + "\n")
        .contains("micronaut:\n  server:\n    port: " + worker.apiPort() + "\n");
  }
}
