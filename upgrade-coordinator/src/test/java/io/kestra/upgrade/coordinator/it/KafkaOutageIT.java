package io.kestra.upgrade.coordinator.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.kestra.upgrade.testsupport.EmbeddedKafka;
import io.kestra.upgrade.testsupport.OwnKafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The coordinator against a broker of its own, which the test stops: readiness must say so, for a
 * load balancer or Kubernetes to stop sending it work.
 */
@QuarkusTest
@WithTestResource(OwnKafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class KafkaOutageIT {

  private static final String MESSAGING_READINESS = "SmallRye Reactive Messaging - readiness check";

  EmbeddedKafka kafka;

  @Test
  void readinessGoesDownWhenTheBrokerStops() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> given().get("/q/health/ready").statusCode() == 200);
    given().get("/q/health/ready").then().body("checks.name", hasItem(MESSAGING_READINESS));

    kafka.close();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> given().get("/q/health/ready").statusCode() == 503);
    given()
        .get("/q/health/ready")
        .then()
        .body("status", equalTo("DOWN"))
        .body("checks.find { it.name == '" + MESSAGING_READINESS + "' }.status", equalTo("DOWN"))
        .body(
            "checks.find { it.name == '" + MESSAGING_READINESS + "' }.data.acks", equalTo("[KO]"));
  }
}
