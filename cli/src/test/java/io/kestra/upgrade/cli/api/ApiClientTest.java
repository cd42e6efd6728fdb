package io.kestra.upgrade.cli.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.cli.ExitCodes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiClientTest {

  private static ApiFailure failure(int status, String body) {
    return ApiClient.failure(status, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRefusalKeepsTheCoordinatorsMessageAndEachFindingOrFieldError() {
    ApiFailure f =
        failure(
            422,
            "{\"error\":\"PREFLIGHT_REFUSED\",\"message\":\"preflight refused the upgrade\","
                + "\"details\":[{\"severity\":\"ERROR\",\"code\":\"AGENT_LOST\","
                + "\"message\":\"prod/worker/w1 is LOST\"},\"gracePeriod: not a duration\"]}");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(f.getMessage())
        .isEqualTo("the coordinator answered 422: preflight refused the upgrade");
    assertThat(f.details())
        .containsExactly("ERROR AGENT_LOST: prod/worker/w1 is LOST", "gracePeriod: not a duration");
  }

  @Test
  void statusesMapToTheExitCodes() {
    assertThat(failure(400, "{}").exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(failure(409, "{}").exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(failure(401, "").exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(failure(401, "").getMessage()).contains("--token or KESTRA_UPGRADE_TOKEN");
    assertThat(failure(403, "").exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(failure(404, "{\"message\":\"no upgrade x\"}").exitCode())
        .isEqualTo(ExitCodes.ERROR);
    // a proxy's HTML page: the status alone says it
    assertThat(failure(502, "<html>bad gateway</html>").getMessage())
        .isEqualTo("the coordinator answered 502");
  }
}
