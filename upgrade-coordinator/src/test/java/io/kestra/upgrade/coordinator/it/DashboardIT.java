package io.kestra.upgrade.coordinator.it;

import static io.kestra.upgrade.coordinator.it.Api.body;
import static io.kestra.upgrade.coordinator.it.Api.cluster;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import io.kestra.upgrade.common.AckStatus;
import io.kestra.upgrade.common.Command;
import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.coordinator.api.Roles;
import io.kestra.upgrade.testsupport.KafkaTestResource;
import io.kestra.upgrade.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The dashboard at {@code /} in a real browser (Debian's chromium, headless), against the real
 * coordinator, broker and database, with real tokens (RS256, the test key pair): the fleet, an
 * upgrade started from the page whose phases change state live from the event stream, a refusal
 * shown as the API words it, and a viewer who sees everything and can do nothing.
 */
@QuarkusTest
@ExtendWith(BrowserRequired.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class DashboardIT {

  @TestHTTPResource("/")
  URL base;

  private static String token(String subject, String role) {
    return Jwt.upn(subject).groups(Set.of(role)).expiresIn(Duration.ofHours(1)).sign();
  }

  private static RequestSpecification as(String token) {
    return given().auth().oauth2(token);
  }

  @Test
  void thePageAndItsAssetsAreServedWithoutATokenTheApiNot() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("<script type=\"module\" src=\"dashboard.js\">"));
    given().get("/dashboard.js").then().statusCode(200).body(containsString("EventSource"));
    given().get("/dashboard.css").then().statusCode(200);
    given().get("/api/v1/agents").then().statusCode(401);
  }

  @Test
  void anOperatorStartsAnUpgradeFromThePageAndWatchesItsDrainRunThenSucceedLive() throws Exception {
    String operator = token("dashboard-operator", Roles.OPERATOR);
    String cluster = cluster("dashboard");
    try (FakeFleet fleet = Api.smallFleet(cluster);
        Browser browser = new Browser()) {
      String worker = fleet.id(ComponentKind.WORKER, "worker-1");
      fleet.on(worker, CommandType.STOP, FakeFleet.Behaviour.HOLD);
      fleet.start();
      awaitRegistered(operator, cluster, 3);

      browser.open(base + "?cluster=" + cluster + "&access_token=" + encode(operator));

      // the token went into the cookie and out of the address bar
      browser.await("#fleet-rows tr[data-agent='" + worker + "']", 30);
      assertThat(browser.driver.getCurrentUrl()).doesNotContain("access_token").contains(cluster);
      Cookie cookie = browser.driver.manage().getCookieNamed("kestra-upgrade-token");
      assertThat(cookie.getValue()).isEqualTo(operator);
      assertThat(cookie.getSameSite()).isEqualTo("Strict");
      assertThat(cookie.getPath()).isEqualTo("/");
      assertThat(browser.text("#who")).contains("dashboard-operator", Roles.OPERATOR);

      // the fleet: every agent, as GET /api/v1/agents says it
      // (the fleet is read again every 3 s: its rows are read by selector, not kept)
      assertThat(browser.texts("#fleet-rows tr td:nth-child(2)"))
          .containsExactlyInAnyOrder("executor-1", "worker-1", "webserver-1");
      assertThat(browser.texts("#fleet-rows tr .version")).hasSize(3).containsOnly("0.21.4");
      assertThat(browser.find("#cluster").getAttribute("value")).isEqualTo(cluster);

      // the plan first, then the start, both from the form
      browser.find("#plan-target").sendKeys("1.0.0");
      browser.find("input[name='progressDeadline']").sendKeys("PT5M");
      browser.find("input[name='acknowledgeBreakingChanges']").click();
      browser.find("#plan-preview").click();
      // (a refusal would show in the error box instead: its text then fails the assertion)
      assertThat(
              browser
                  .await(
                      "#plan-result:not([hidden]) #plan-verdict, #error:not([hidden]) #error-message",
                      30)
                  .getText())
          .isEqualTo("EXECUTABLE");
      assertThat(browser.driver.findElements(By.cssSelector("#plan-steps tr[data-phase='DRAIN']")))
          .isNotEmpty();

      // a mark in the page's window: still there at the end, so the page was never reloaded
      browser.driver.executeScript("window.notReloaded = true");
      browser.find("#plan-start").click();

      // DRAIN runs while the worker drains, with the in-flight count it reports
      browser.await("#timeline li.phase[data-phase='DRAIN'][data-state='RUNNING']", 60);
      Command stop =
          await().atMost(Duration.ofSeconds(30)).until(() -> held(fleet), s -> s != null);
      fleet.report(stop, AckStatus.PROGRESS, 3, "draining: 3 task runs in flight", Instant.now());
      browser.awaitText(
          "#timeline li.step[data-agent='" + worker + "'][data-state='RUNNING'] .in-flight",
          "3 in flight",
          30);
      assertThat(browser.text("#upgrade-state")).isEqualTo("RUNNING");
      assertThat(browser.find("[data-control='pause']").isEnabled()).isTrue();
      String upgradeId = browser.text("#upgrade-title");
      browser.screenshot("dashboard-draining");

      fleet.release();
      browser.await("#timeline li.phase[data-phase='DRAIN'][data-state='SUCCEEDED']", 60);
      browser.await("#upgrade-state[data-state='SUCCEEDED']", 60);
      // read in one go: the page re-renders the timeline as events come
      assertThat(
              browser.driver.executeScript(
                  "return [...document.querySelectorAll('#timeline li.phase')]"
                      + ".map(p => p.dataset.state)"))
          .asList()
          .isNotEmpty()
          .containsOnly("SUCCEEDED");
      assertThat(browser.driver.executeScript("return window.notReloaded")).isEqualTo(true);

      // the history has it, with its outcome and duration
      String row = "#history-rows tr[data-upgrade='" + upgradeId + "'][data-state='SUCCEEDED']";
      browser.await(row, 30);
      String duration = browser.text(row + " .duration");
      assertThat(duration).matches("[0-9.]+ (ms|s)|[0-9]+ min [0-9]+ s");

      browser.screenshot("dashboard");

      // a FULL_STOP upgrade that succeeded rolls back only with restore: the API's refusal, shown
      Response refusal =
          as(operator)
              .contentType(ContentType.JSON)
              .post("/api/v1/upgrades/" + upgradeId + "/rollback");
      assertThat(refusal.statusCode()).isEqualTo(409);
      browser.find("[data-control='rollback']").click();
      WebElement error = browser.await("#error:not([hidden]) #error-message", 30);
      assertThat(error.getText()).isEqualTo(refusal.path("error") + ": " + refusal.path("message"));
      browser.screenshot("dashboard-refusal");
    }
  }

  @Test
  void withoutATokenThePageAsksForOneAndAViewerSeesEverythingButCannotAct() {
    String operator = token("dashboard-operator", Roles.OPERATOR);
    String viewer = token("dashboard-viewer", Roles.VIEWER);
    String cluster = cluster("dashboard-viewer");
    try (FakeFleet fleet = Api.smallFleet(cluster);
        Browser browser = new Browser()) {
      fleet.start();
      awaitRegistered(operator, cluster, 3);
      String id =
          as(operator)
              .contentType(ContentType.JSON)
              .body(body(cluster, "1.0.0"))
              .post("/api/v1/upgrades")
              .then()
              .statusCode(202)
              .extract()
              .path("id");

      browser.open(base + "?cluster=" + cluster);
      assertThat(browser.await("#token:not([hidden]) #token-why", 30).getText())
          .contains("bearer token");
      assertThat(browser.find("#main").isDisplayed()).isFalse();

      // a token the coordinator does not trust: asked again, with the API's 401
      browser.find("#token-input").sendKeys("not.a.token");
      browser.find("#token-form button").click();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> browser.text("#token-why").contains("401"));

      browser.find("#token-input").sendKeys(viewer);
      browser.find("#token-form button").click();
      browser.await("#fleet-rows tr", 30);
      browser.await("#history-rows tr[data-upgrade='" + id + "']", 30);
      browser.await("#upgrade-state[data-state='SUCCEEDED']", 60);
      assertThat(browser.text("#upgrade-title")).isEqualTo(id);
      assertThat(browser.driver.findElements(By.cssSelector("#timeline li.phase"))).isNotEmpty();
      assertThat(browser.driver.findElements(By.cssSelector("[data-control]")))
          .hasSize(4)
          .noneMatch(WebElement::isEnabled);
      assertThat(browser.find("#viewer-note").isDisplayed()).isTrue();
      browser.screenshot("dashboard-viewer");
    }
  }

  private static Command held(FakeFleet fleet) {
    return fleet.held().stream().filter(c -> c.type() == CommandType.STOP).findFirst().orElse(null);
  }

  private static void awaitRegistered(String token, String cluster, int agents) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                as(token)
                        .queryParam("cluster", cluster)
                        .get("/api/v1/agents")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("agentId")
                        .size()
                    == agents);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
