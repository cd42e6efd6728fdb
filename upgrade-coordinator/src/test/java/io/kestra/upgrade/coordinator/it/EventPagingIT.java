package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.awaitRegistered;
import static io.kestra.upgrade.coordinator.it.Api.awaitState;
import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.startUpgrade;
import static io.kestra.upgrade.coordinator.it.Api.upgrade;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.kestra.upgrade.common.Capability;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Topics;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.kestra.upgrade.testsupport.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The events of {@code GET /api/v1/upgrades/{id}} come in pages, from a finished upgrade. */
@QuarkusTest
@TestSecurity(user = "paging-it", roles = Roles.OPERATOR)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventPagingIT {

  private FakeFleet fleet;
  private String id;
  private List<Long> all;

  /** Once for the class (in a BeforeEach: Quarkus points RestAssured at its port only then). */
  @BeforeEach
  void finishedUpgrade() {
    if (id != null) {
      return;
    }
    String cluster = Api.cluster("paging");
    fleet =
        new FakeFleet(TestKafka.bootstrapServers(), Topics.defaults(), cluster)
            .agent(ComponentKind.EXECUTOR, "executor-1", Capability.BACKUP, Capability.MIGRATE)
            .agent(ComponentKind.WORKER, "worker-1")
            .start();
    awaitRegistered(cluster, 2);
    id = startUpgrade(body(cluster, "1.0.0"));
    awaitState(id, "SUCCEEDED");
    all = upgrade(id, "eventsLimit", 1000).getList("events.seq", Long.class);
  }

  @AfterAll
  void closeFleet() {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void withoutParametersEveryEventOfASmallUpgradeComesInOnePage() {
    JsonPath page = upgrade(id);
    assertThat(all).hasSizeGreaterThan(10).hasSizeLessThan(200).isSorted().doesNotHaveDuplicates();
    assertThat(page.getList("events.seq", Long.class)).isEqualTo(all);
    assertThat(page.getList("events.type", String.class))
        .first()
        .isEqualTo("io.kestra.upgrade.upgrade.pending");
    assertThat(page.getMap("$")).doesNotContainKey("nextEventsAfter");
  }

  @Test
  void pagesFollowTheCursorUntilTheLastWhichSaysNoNext() {
    List<Long> seen = new ArrayList<>();
    long after = 0;
    int pages = 0;
    while (true) {
      JsonPath page = upgrade(id, "eventsAfter", after, "eventsLimit", 7);
      List<Long> seqs = page.getList("events.seq", Long.class);
      seen.addAll(seqs);
      pages++;
      if (!page.getMap("$").containsKey("nextEventsAfter")) {
        assertThat(seqs).hasSizeBetween(1, 7);
        break;
      }
      assertThat(seqs).hasSize(7);
      assertThat(page.getLong("nextEventsAfter")).isEqualTo(seqs.get(6));
      after = page.getLong("nextEventsAfter");
    }
    assertThat(seen).isEqualTo(all);
    assertThat(pages).isEqualTo((all.size() + 6) / 7);
  }

  @Test
  void aPageThatHoldsTheLastEventExactlyIsTheLast() {
    int n = all.size();
    assertThat(upgrade(id, "eventsLimit", n).getMap("$")).doesNotContainKey("nextEventsAfter");
    JsonPath first = upgrade(id, "eventsLimit", n - 1);
    assertThat(first.getLong("nextEventsAfter")).isEqualTo(all.get(n - 2));
    JsonPath last = upgrade(id, "eventsAfter", all.get(n - 2), "eventsLimit", n - 1);
    assertThat(last.getList("events.seq", Long.class)).containsExactly(all.get(n - 1));
    assertThat(last.getMap("$")).doesNotContainKey("nextEventsAfter");
    JsonPath beyond = upgrade(id, "eventsAfter", all.get(n - 1));
    assertThat(beyond.getList("events")).isEmpty();
    assertThat(beyond.getString("state")).isEqualTo("SUCCEEDED");
  }

  @Test
  void pagingParametersOutOfRangeAreRefusedNamingThem() {
    refused("eventsLimit", "0", "eventsLimit: '0' must be a whole number from 1 to 1000");
    refused("eventsLimit", "1001", "eventsLimit: '1001' must be a whole number from 1 to 1000");
    refused("eventsLimit", "all", "eventsLimit: 'all' must be a whole number");
    refused("eventsAfter", "-5", "eventsAfter: '-5' is not the seq of an event");
    refused("eventsAfter", "last", "eventsAfter: 'last' is not the seq of an event");
  }

  private void refused(String parameter, String value, String message) {
    given()
        .queryParam(parameter, value)
        .get("/api/v1/upgrades/" + id)
        .then()
        .statusCode(400)
        .body("error", equalTo("INVALID_REQUEST"))
        .body("message", containsString(message))
        .body("details[0]", containsString(parameter + ": "));
  }

  @Test
  void theOpenApiDocumentDescribesThePaging() {
    String openApi = given().get("/q/openapi").then().statusCode(200).extract().asString();
    assertThat(openApi)
        .contains("eventsAfter", "eventsLimit", "nextEventsAfter")
        .contains("the seq of the last event seen");
  }
}
