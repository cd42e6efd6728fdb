package io.kestra.upgrade.cli.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RequestOptionsTest {

  @TempDir Path tmp;

  private static Map<String, Object> body(String... args) throws Exception {
    RequestOptions options = new RequestOptions();
    new CommandLine(options).parseArgs(args);
    return options.body();
  }

  @Test
  void onlyTheOptionsGivenAreSentSoTheCoordinatorsDefaultsApply() throws Exception {
    assertThat(body("--cluster", "prod", "--target", "1.0.3"))
        .containsExactly(Map.entry("cluster", "prod"), Map.entry("targetVersion", "1.0.3"));
  }

  @Test
  void everyOptionMapsToItsFieldWithShortDurationsInIso8601() throws Exception {
    Path workerYml = Files.writeString(tmp.resolve("worker.yml"), "kestra:\n  server: {}\n");
    Map<String, Object> body =
        body(
            "--cluster=prod",
            "--target=1.0.3",
            "--strategy=ROLLING",
            "--no-backup",
            "--migration=MANUAL_AHEAD",
            "--grace-period=90s",
            "--kill-margin=2m",
            "--step-timeout=PT10M",
            "--progress-deadline=250ms",
            "--on-failure=PAUSE",
            "--allow-downgrade",
            "--acknowledge-breaking-changes",
            "--maintenance-mode",
            "--max-unavailable",
            "worker=2",
            "--min-healthy=1h",
            "--restart",
            "--pause-before=MIGRATE,WEBSERVER",
            "--config-file",
            "worker=" + workerYml);
    assertThat(body)
        .containsEntry("strategy", "ROLLING")
        .containsEntry("backup", false)
        .containsEntry("migration", "MANUAL_AHEAD")
        .containsEntry("gracePeriod", "PT90S")
        .containsEntry("killMargin", "PT2M")
        .containsEntry("stepTimeout", "PT10M")
        .containsEntry("progressDeadline", "PT0.25S")
        .containsEntry("onFailure", "PAUSE")
        .containsEntry("allowDowngrade", true)
        .containsEntry("acknowledgeBreakingChanges", true)
        .containsEntry("maintenanceMode", true)
        .containsEntry("maxUnavailable", Map.of("worker", 2))
        .containsEntry("minHealthy", "PT1H")
        .containsEntry("restart", true)
        .containsEntry("pauseBefore", List.of("MIGRATE", "WEBSERVER"))
        .containsEntry("configFiles", Map.of("worker", "kestra:\n  server: {}\n"));
  }

  @Test
  void aDurationItCannotReadIsSentAsGivenForTheCoordinatorToNameTheField() {
    assertThat(RequestOptions.duration("soon")).isEqualTo("soon");
    assertThat(RequestOptions.duration(" 30s ")).isEqualTo("PT30S");
  }
}
