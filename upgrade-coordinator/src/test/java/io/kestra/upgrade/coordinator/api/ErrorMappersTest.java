package io.kestra.upgrade.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kestra.upgrade.common.KestraVersion;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.upgrade.ActiveUpgradeException;
import io.kestra.upgrade.coordinator.upgrade.PreflightRefusedException;
import io.kestra.upgrade.coordinator.upgrade.plan.Finding;
import io.kestra.upgrade.coordinator.upgrade.plan.Plan;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The error bodies, produced from the exceptions that Jackson and the services really throw. */
class ErrorMappersTest {

  private final ErrorMappers mappers = new ErrorMappers();
  private final ObjectMapper strict =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private <E extends Exception> E parsing(Class<E> type, String json) {
    return catchThrowableOfType(type, () -> strict.readValue(json, UpgradeRequestBody.class));
  }

  private static ApiError body(Response response) {
    assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
    return (ApiError) response.getEntity();
  }

  @Test
  void aDatabaseOutageIsA503WithRetryAfterInTheApiFormat() {
    Response r =
        mappers.databaseUnavailable(
            new DatabaseUnavailableException(
                "the database is out: An I/O error occurred while sending to the backend", null));

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getHeaderString("Retry-After")).isEqualTo("5");
    assertThat(body(r).error()).isEqualTo("DATABASE_UNAVAILABLE");
    assertThat(body(r).message()).contains("database is unavailable");
    assertThat(body(r).details()).isEmpty();
  }

  @Test
  void aMistypedOptionIsNamedAsAnUnknownField() {
    Response r =
        mappers.unknownField(
            parsing(
                UnrecognizedPropertyException.class,
                "{\"cluster\":\"prod\",\"gracePeriode\":\"PT5M\"}"));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r).error()).isEqualTo("INVALID_REQUEST");
    assertThat(body(r).message()).startsWith("gracePeriode: unknown field (known: ");
    assertThat(List.<Object>copyOf(body(r).details()))
        .containsExactly("gracePeriode: unknown field");
  }

  @Test
  void aValueOfTheWrongTypeNamesItsField() {
    Response r =
        mappers.mismatched(parsing(MismatchedInputException.class, "{\"backup\":\"yes please\"}"));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r).message()).startsWith("backup: wrong type of value (");
  }

  @Test
  void invalidJsonSaysSo() {
    Response r = mappers.badJson(parsing(JsonParseException.class, "{\"targetVersion\": nope"));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(body(r).message()).startsWith("the body is not valid JSON: ");
  }

  @Test
  void aSecondUpgradeIsAConflictNamingTheActiveOne() {
    Response r = mappers.active(new ActiveUpgradeException("prod", "u-1"));

    assertThat(r.getStatus()).isEqualTo(409);
    assertThat(body(r).error()).isEqualTo("UPGRADE_ACTIVE");
    assertThat(body(r).message()).isEqualTo("cluster 'prod' already has an active upgrade (u-1)");
    assertThat(List.<Object>copyOf(body(r).details())).containsExactly("u-1");
  }

  @Test
  void aRefusedPreflightListsItsErrorsButNotItsInformation() {
    Finding lost = new Finding(Finding.Severity.ERROR, "AGENT_LOST", "agents silent: prod/w/1");
    Finding info = new Finding(Finding.Severity.INFO, "BACKUP_BY", "BACKUP will run on x");
    Plan plan =
        new Plan(
            KestraVersion.parse("0.21.4"),
            KestraVersion.parse("1.0.0"),
            List.of(),
            List.of(lost, info));

    Response r = mappers.refused(new PreflightRefusedException(plan));

    assertThat(r.getStatus()).isEqualTo(422);
    assertThat(body(r).error()).isEqualTo("PREFLIGHT_REFUSED");
    assertThat(body(r).message())
        .isEqualTo("preflight refused the upgrade: agents silent: prod/w/1");
    assertThat(List.<Object>copyOf(body(r).details())).containsExactly(lost);
  }

  @Test
  void frameworkErrorsKeepTheirStatusInTheSameFormat() {
    Response r = mappers.web(new NotFoundException("no such path"));

    assertThat(r.getStatus()).isEqualTo(404);
    assertThat(body(r).error()).isEqualTo("NOT_FOUND");
    assertThat(body(r).message()).isEqualTo("no such path");
  }

  @Test
  void anApiExceptionIsAnsweredAsItSays() {
    Response r = mappers.api(ApiException.badRequest(List.of("limit: must be between 1 and 500")));

    assertThat(r.getStatus()).isEqualTo(400);
    assertThat(List.<Object>copyOf(body(r).details()))
        .containsExactly("limit: must be between 1 and 500");
  }
}
