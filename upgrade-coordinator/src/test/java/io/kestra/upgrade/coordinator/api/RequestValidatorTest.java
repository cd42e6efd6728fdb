package io.kestra.upgrade.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.coordinator.config.TestConfig;
import io.kestra.upgrade.coordinator.upgrade.UpgradeRequest;
import io.kestra.upgrade.coordinator.upgrade.plan.MigrationMode;
import io.kestra.upgrade.coordinator.upgrade.plan.OnFailure;
import io.kestra.upgrade.coordinator.upgrade.plan.Strategy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  private final RequestValidator validator =
      new RequestValidator(
          TestConfig.coordinator(Map.of("coordinator.defaults.progress-deadline", "PT45S")));

  private static UpgradeRequestBody body(String cluster, String target) {
    return new UpgradeRequestBody(
        cluster, target, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  private static UpgradeRequestBody withOptions(
      String strategy, Boolean backup, String grace, String killMargin, String stepTimeout) {
    return new UpgradeRequestBody(
        "prod",
        "1.0.0",
        strategy,
        backup,
        "AUTO",
        grace,
        killMargin,
        stepTimeout,
        null,
        "pause",
        true,
        null,
        null,
        Map.of("worker", 2),
        "PT1M",
        true,
        List.of("migrate", "ROLL"),
        Map.of("worker", "kestra:\n  server:\n    terminationGracePeriod: 30s\n"));
  }

  private ApiException refused(UpgradeRequestBody body) {
    return catchThrowableOfType(ApiException.class, () -> validator.validate(body));
  }

  @Test
  void aMinimalRequestGetsTheDefaultsAndNoGracePeriodOfItsOwn() {
    UpgradeRequest request = validator.validate(body("prod", "v1.0.0"));

    assertThat(request.cluster()).isEqualTo("prod");
    assertThat(request.target()).hasToString("1.0.0");
    assertThat(request.strategy()).isEqualTo(Strategy.FULL_STOP);
    assertThat(request.options().backup()).isTrue();
    assertThat(request.options().migration()).isEqualTo(MigrationMode.MANUAL);
    assertThat(request.options().onFailure()).isEqualTo(OnFailure.ROLLBACK);
    assertThat(request.options().gracePeriod())
        .as("each server drains for its own configured grace period")
        .isNull();
    assertThat(request.options().killMargin()).isEqualTo(Duration.ofSeconds(60));
    assertThat(request.options().progressDeadline()).isEqualTo(Duration.ofSeconds(45));
    assertThat(request.options().stepTimeout()).isNull();
  }

  @Test
  void everyOptionIsReadCaseInsensitivelyWhereItIsAName() {
    UpgradeRequest request =
        validator.validate(withOptions("rolling", false, "PT2M", "PT10S", "PT3M"));

    assertThat(request.strategy()).isEqualTo(Strategy.ROLLING);
    assertThat(request.options().backup()).isFalse();
    assertThat(request.options().migration()).isEqualTo(MigrationMode.AUTO);
    assertThat(request.options().gracePeriod()).isEqualTo(Duration.ofMinutes(2));
    assertThat(request.options().killMargin()).isEqualTo(Duration.ofSeconds(10));
    assertThat(request.options().stepTimeout()).isEqualTo(Duration.ofMinutes(3));
    assertThat(request.options().onFailure()).isEqualTo(OnFailure.PAUSE);
    assertThat(request.options().allowDowngrade()).isTrue();
    assertThat(request.options().maxUnavailable()).containsEntry(ComponentKind.WORKER, 2);
    assertThat(request.options().minHealthy()).isEqualTo(Duration.ofMinutes(1));
    assertThat(request.options().restart()).isTrue();
    assertThat(request.options().configFiles())
        .containsOnlyKeys(ComponentKind.WORKER)
        .containsValue("kestra:\n  server:\n    terminationGracePeriod: 30s\n");
    assertThat(request.options().pauseBefore())
        .containsExactlyInAnyOrder(
            io.kestra.upgrade.common.Phase.MIGRATE, io.kestra.upgrade.common.Phase.ROLL);
  }

  @Test
  void backupDefaultsToFalseForARollingUpgrade() {
    assertThat(
            validator.validate(withOptions("ROLLING", null, null, null, null)).options().backup())
        .isFalse();
  }

  @Test
  void everyWrongFieldIsNamedInOneAnswer() {
    ApiException e =
        refused(
            new UpgradeRequestBody(
                "Prod Cluster",
                "1.0",
                "BLUE_GREEN",
                null,
                "sometimes",
                "5 minutes",
                "-PT1S",
                "P3D",
                null,
                null,
                null,
                null,
                null,
                Map.of("router", 1, "worker", 0),
                null,
                null,
                List.of("MIGRATE", "ROLLBACK_START"),
                Map.of("worker", " ")));

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("INVALID_REQUEST");
    assertThat(List.<Object>copyOf(e.details()))
        .hasSize(11)
        .contains(
            "cluster: 'Prod Cluster' must be 1 to 63 lower-case letters, digits, '.', '_' or '-'",
            "strategy: 'BLUE_GREEN' is not one of [FULL_STOP, ROLLING]",
            "migration: 'sometimes' is not one of [MANUAL, AUTO, MANUAL_AHEAD]",
            "gracePeriod: '5 minutes' is not an ISO-8601 duration such as PT5M or PT30S",
            "killMargin: '-PT1S' must be positive and at most PT48H",
            "stepTimeout: 'P3D' must be positive and at most PT48H",
            "maxUnavailable.worker: must be at least 1",
            "pauseBefore: 'ROLLBACK_START' is not one of [MAINTENANCE_ENTER, QUIESCE, DRAIN,"
                + " STOP_INDEXERS, BACKUP, MIGRATE, WEBSERVER, START, ROLL, VERIFY,"
                + " MAINTENANCE_EXIT, FINALIZE]",
            "configFiles.worker: must be the file's content, not empty")
        .anySatisfy(d -> assertThat(d.toString()).startsWith("targetVersion: ").contains("'1.0'"))
        .anySatisfy(d -> assertThat(d.toString()).startsWith("maxUnavailable.router: "));
    assertThat(e.getMessage()).contains("cluster: ").contains("; strategy: ");
  }

  @Test
  void missingFieldsAndMissingBodyAreNamed() {
    assertThat(List.<Object>copyOf(refused(body(null, " ")).details()))
        .containsExactly("cluster: required", "targetVersion: required");
    assertThat(List.<Object>copyOf(refused(null).details()))
        .containsExactly("body: a JSON object with cluster and targetVersion is required");
  }
}
