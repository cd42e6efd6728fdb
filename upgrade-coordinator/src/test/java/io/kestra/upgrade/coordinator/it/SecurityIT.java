package io.kestra.upgrade.coordinator.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The REST API with real bearer tokens (RS256, signed by the test key pair of {@code
 * src/test/resources/test-jwt}): nobody acts without a key, a viewer only reads, probes and scrapes
 * stay anonymous, every refusal in the API's error format.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class SecurityIT {

  private static final String BODY = Api.body("security-it", "1.0.0");

  private static String token(String... roles) {
    return Jwt.upn("someone").groups(Set.of(roles)).expiresIn(Duration.ofHours(1)).sign();
  }

  @Test
  void withoutATokenEveryCallIsUnauthorizedInTheApiFormat() {
    for (String path : new String[] {"/api/v1/agents", "/api/v1/upgrades"}) {
      given()
          .get(path)
          .then()
          .statusCode(401)
          .header("WWW-Authenticate", "Bearer")
          .body("error", equalTo("UNAUTHORIZED"))
          .body("message", containsString("Authorization: Bearer <token>"));
    }
    given()
        .contentType(ContentType.JSON)
        .body(BODY)
        .post("/api/v1/upgrades")
        .then()
        .statusCode(401)
        .body("error", equalTo("UNAUTHORIZED"));
  }

  @Test
  void aViewerReadsButCannotAct() {
    String viewer = token(Roles.VIEWER);
    given().auth().oauth2(viewer).get("/api/v1/agents").then().statusCode(200);
    given().auth().oauth2(viewer).get("/api/v1/upgrades").then().statusCode(200);
    for (String path : new String[] {"/api/v1/upgrades", "/api/v1/upgrades/plan"}) {
      given()
          .auth()
          .oauth2(viewer)
          .contentType(ContentType.JSON)
          .body(BODY)
          .post(path)
          .then()
          .statusCode(403)
          .body("error", equalTo("FORBIDDEN"))
          .body("message", containsString("'operator'"));
    }
  }

  @Test
  void anOperatorActs() {
    String operator = token(Roles.OPERATOR);
    given().auth().oauth2(operator).get("/api/v1/agents").then().statusCode(200);
    // past authentication: preflight refuses a cluster without agents
    given()
        .auth()
        .oauth2(operator)
        .contentType(ContentType.JSON)
        .body(BODY)
        .post("/api/v1/upgrades")
        .then()
        .statusCode(422)
        .body("error", equalTo("PREFLIGHT_REFUSED"));
  }

  @Test
  void aTokenInTheCookieIsTakenAsABrowserSendsIt() {
    given()
        .cookie("kestra-upgrade-token", token(Roles.VIEWER))
        .get("/api/v1/agents")
        .then()
        .statusCode(200);
  }

  @Test
  void forgedExpiredForeignAndRolelessTokensAreRefused() {
    String stranger =
        Jwt.upn("mallory")
            .groups(Set.of(Roles.OPERATOR))
            .expiresIn(Duration.ofHours(1))
            .sign(strangerKey());
    String expired =
        Jwt.upn("someone")
            .groups(Set.of(Roles.OPERATOR))
            .issuedAt(Instant.now().minus(Duration.ofHours(2)))
            .expiresAt(Instant.now().minus(Duration.ofHours(1)))
            .sign();
    String otherIssuer =
        Jwt.issuer("somebody-else")
            .upn("someone")
            .groups(Set.of(Roles.OPERATOR))
            .expiresIn(Duration.ofHours(1))
            .sign();
    for (String bad : new String[] {stranger, expired, otherIssuer, "not.a.token"}) {
      given()
          .auth()
          .oauth2(bad)
          .get("/api/v1/agents")
          .then()
          .statusCode(401)
          .body("error", equalTo("UNAUTHORIZED"));
    }
    given()
        .auth()
        .oauth2(token("nobody-in-particular"))
        .get("/api/v1/agents")
        .then()
        .statusCode(403)
        .body("error", equalTo("FORBIDDEN"));
  }

  @Test
  void probesAndScrapesStayAnonymous() {
    given().get("/q/health/live").then().statusCode(200);
    given().get("/q/health/ready").then().statusCode(200);
    given().get("/q/metrics").then().statusCode(200);
  }

  private static java.security.PrivateKey strangerKey() {
    try {
      return io.smallrye.jwt.util.KeyUtils.readPrivateKey("test-jwt/stranger-private.pem");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
