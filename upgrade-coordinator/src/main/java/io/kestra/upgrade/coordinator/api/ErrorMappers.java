package io.kestra.upgrade.coordinator.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kestra.upgrade.coordinator.fleet.AgentBusyException;
import io.kestra.upgrade.coordinator.outage.DatabaseUnavailableException;
import io.kestra.upgrade.coordinator.upgrade.ActiveUpgradeException;
import io.kestra.upgrade.coordinator.upgrade.PreflightRefusedException;
import io.kestra.upgrade.coordinator.upgrade.engine.ControlRefusedException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns exceptions into the API's error body, with a status that says what the client can do. */
public class ErrorMappers {

  /** The cookie a browser may carry its token in (EventSource cannot send headers). */
  static final String TOKEN_COOKIE = "kestra-upgrade-token";

  /** How long a client is asked to wait before trying again while the database is out. */
  static final int RETRY_AFTER_SECONDS = 5;

  @ServerExceptionMapper
  Response api(ApiException e) {
    return answer(e.status(), e.code(), e.getMessage(), e.details());
  }

  @ServerExceptionMapper
  Response active(ActiveUpgradeException e) {
    return answer(
        409,
        "UPGRADE_ACTIVE",
        e.getMessage(),
        e.activeUpgradeId() == null ? List.of() : List.of(e.activeUpgradeId()));
  }

  @ServerExceptionMapper
  Response forbiddenNow(ControlRefusedException e) {
    return answer(409, "STATE_CONFLICT", e.getMessage(), List.of(e.state().name()));
  }

  @ServerExceptionMapper
  Response busy(AgentBusyException e) {
    return answer(409, "AGENT_BUSY", e.getMessage(), List.of(e.upgradeId()));
  }

  @ServerExceptionMapper
  Response refused(PreflightRefusedException e) {
    String message =
        "preflight refused the upgrade: "
            + e.plan().errors().stream().map(f -> f.message()).collect(Collectors.joining("; "));
    return answer(422, "PREFLIGHT_REFUSED", message, e.plan().errors());
  }

  /** No credentials, or credentials that do not verify (signature, issuer, expiry). */
  @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
  Response unauthenticated(RuntimeException e) {
    return Response.fromResponse(
            answer(
                401,
                "UNAUTHORIZED",
                "a valid bearer token is needed: send 'Authorization: Bearer <token>' (or the "
                    + TOKEN_COOKIE
                    + " cookie, for a browser's EventSource); it must be signed with the key the"
                    + " coordinator trusts, from its issuer, and not expired",
                List.of()))
        .header("WWW-Authenticate", "Bearer")
        .build();
  }

  /** Credentials without the role the call needs. */
  @ServerExceptionMapper
  Response forbidden(ForbiddenException e) {
    return answer(
        403,
        "FORBIDDEN",
        "the token's roles do not allow this call: reading needs '"
            + Roles.VIEWER
            + "' or '"
            + Roles.OPERATOR
            + "', anything else '"
            + Roles.OPERATOR
            + "'",
        List.of());
  }

  /**
   * The database is out: 503, with {@code Retry-After}, in the API's error format; the request may
   * succeed unchanged later.
   */
  @ServerExceptionMapper
  Response databaseUnavailable(DatabaseUnavailableException e) {
    return Response.status(503)
        .type(MediaType.APPLICATION_JSON)
        .entity(
            new ApiError(
                "DATABASE_UNAVAILABLE",
                "the coordinator's database is unavailable; try again in a few seconds",
                List.of()))
        .header("Retry-After", RETRY_AFTER_SECONDS)
        .build();
  }

  @ServerExceptionMapper
  Response unknownField(UnrecognizedPropertyException e) {
    String field = path(e);
    return answer(
        400,
        "INVALID_REQUEST",
        field + ": unknown field (known: " + e.getKnownPropertyIds() + ")",
        List.of(field + ": unknown field"));
  }

  @ServerExceptionMapper
  Response badJson(JsonParseException e) {
    return answer(
        400, "INVALID_REQUEST", "the body is not valid JSON: " + e.getOriginalMessage(), List.of());
  }

  /** More specific than Quarkus' own mapper of this type, which answers without a body. */
  @ServerExceptionMapper
  Response mismatched(MismatchedInputException e) {
    return badValue(e);
  }

  @ServerExceptionMapper
  Response badValue(JsonMappingException e) {
    String field = path(e);
    String message =
        field.isEmpty()
            ? "the body is not a JSON object of the expected shape"
            : field + ": wrong type of value (" + e.getOriginalMessage().split("\n")[0] + ")";
    return answer(400, "INVALID_REQUEST", message, List.of(message));
  }

  /**
   * Framework errors (unreadable body, unknown path, wrong media type) in the same error format.
   */
  @ServerExceptionMapper
  Response web(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    String code =
        switch (status) {
          case 400 -> "INVALID_REQUEST";
          case 404 -> "NOT_FOUND";
          case 405 -> "METHOD_NOT_ALLOWED";
          case 415 -> "UNSUPPORTED_MEDIA_TYPE";
          default -> "HTTP_" + status;
        };
    String message = e.getMessage();
    if (status == 400 && e.getCause() != null) {
      message = "the body is not valid JSON: " + e.getCause().getMessage().split("\n")[0];
    }
    return answer(status, code, message, List.of());
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining("."));
  }

  static Response answer(int status, String code, String message, List<?> details) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(new ApiError(code, message, details))
        .build();
  }
}
