package io.kestra.upgrade.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "6f1c0d6e-8d1b-4a0e-9d55-3f0e0b1c2a01";
  private static final String OTHER = "0b5c1e2a-1111-4a0e-9d55-3f0e0b1c2a02";

  private final StringWriter text = new StringWriter();
  private final LiveView view = new LiveView(new Screen(new PrintWriter(text), false), ID);

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  private static JsonNode snapshot(String state, String phases) throws Exception {
    return json(
        "{'type':'io.kestra.upgrade.upgrade.snapshot','data':{'id':'"
            + ID
            + "','cluster':'prod','fromVersion':'0.22.0','toVersion':'1.0.0','strategy':'FULL_STOP',"
            + "'state':'"
            + state
            + "','createdAt':'2026-12-08T10:00:00Z','startedAt':'2026-12-08T10:00:00Z',"
            + "'phases':["
            + phases
            + "],'steps':[{'id':'s1','phase':'DRAIN','type':'STOP','agentId':'prod/worker/worker-1',"
            + "'state':'PENDING'},{'id':'s2','phase':'DRAIN','type':'STOP',"
            + "'agentId':'prod/worker/worker-2','state':'PENDING'}]}}");
  }

  private static JsonNode event(String type, String upgrade, String fields) throws Exception {
    return json(
        "{'type':'io.kestra.upgrade."
            + type
            + "','data':{'upgradeId':'"
            + upgrade
            + "',"
            + fields
            + "}}");
  }

  private List<String> lines() {
    return text.toString().lines().toList();
  }

  @Test
  void showsPhasesWithDurationsDrainBarsStepsAndTheEnd() throws Exception {
    assertThat(view.accept(snapshot("RUNNING", ""))).isNull();
    view.accept(event("phase.started", ID, "'phase':'DRAIN','at':'2026-12-08T10:00:01Z'"));
    view.accept(
        event(
            "step.progress",
            ID,
            "'stepId':'s1','phase':'DRAIN','agentId':'prod/worker/worker-1','state':'RUNNING',"
                + "'inFlightTasks':4,'at':'2026-12-08T10:00:02Z'"));
    view.accept(
        event(
            "step.progress",
            ID,
            "'stepId':'s1','phase':'DRAIN','agentId':'prod/worker/worker-1','state':'RUNNING',"
                + "'inFlightTasks':1,'at':'2026-12-08T10:00:05Z'"));
    view.accept(
        event(
            "step.progress",
            OTHER,
            "'stepId':'x','phase':'DRAIN','agentId':'prod/worker/worker-9','state':'RUNNING',"
                + "'inFlightTasks':1,'at':'2026-12-08T10:00:05Z'"));
    view.accept(
        event(
            "step.progress",
            ID,
            "'stepId':'s1','phase':'DRAIN','agentId':'prod/worker/worker-1','state':'RUNNING',"
                + "'inFlightTasks':0,'at':'2026-12-08T10:00:07Z'"));
    view.accept(
        event(
            "step.succeeded",
            ID,
            "'stepId':'s1','phase':'DRAIN','agentId':'prod/worker/worker-1','commandType':'STOP',"
                + "'state':'SUCCEEDED','at':'2026-12-08T10:00:08Z'"));
    view.accept(
        event(
            "step.timed_out",
            ID,
            "'stepId':'s2','phase':'DRAIN','agentId':'prod/worker/worker-2','commandType':'STOP',"
                + "'state':'TIMED_OUT','reason':'STEP_TIMEOUT','message':'no final ack',"
                + "'at':'2026-12-08T10:00:09Z'"));
    view.accept(
        event(
            "phase.failed",
            ID,
            "'phase':'DRAIN','reason':'STEP_TIMEOUT','at':'2026-12-08T10:00:09Z'"));
    view.accept(
        event("upgrade.rolling_back", ID, "'state':'ROLLING_BACK','at':'2026-12-08T10:00:09Z'"));
    String end =
        view.accept(
            event("upgrade.rolled_back", ID, "'state':'ROLLED_BACK','at':'2026-12-08T10:00:30Z'"));

    assertThat(end).isEqualTo("ROLLED_BACK");
    assertThat(lines())
        .containsExactly(
            "upgrade " + ID + ": prod 0.22.0 → 1.0.0 (FULL_STOP), RUNNING",
            "[   1.0s] DRAIN              started (2 steps)",
            "  draining  worker-1       [....................] 4 of 4 task(s) in flight",
            "  draining  worker-1       [###############.....] 1 of 4 task(s) in flight",
            "[   7.0s]   drained   worker-1       4 task(s) finished in flight",
            "[   8.0s]   STOP      worker-1       succeeded",
            "[   9.0s]   STOP      worker-2       TIMED_OUT: STEP_TIMEOUT no final ack",
            "[   9.0s] DRAIN              FAILED: STEP_TIMEOUT",
            "[   9.0s] rolling back");
  }

  @Test
  void aReconnectionsSnapshotRepeatsNothingAndAnEndedUpgradeEndsAtOnce() throws Exception {
    String done =
        "{'phase':'PREFLIGHT','state':'SUCCEEDED','startedAt':'2026-12-08T10:00:00Z',"
            + "'finishedAt':'2026-12-08T10:00:00.200Z','durationMs':200}";
    view.accept(snapshot("RUNNING", done));
    view.accept(snapshot("RUNNING", done));
    assertThat(lines())
        .containsExactly(
            "upgrade " + ID + ": prod 0.22.0 → 1.0.0 (FULL_STOP), RUNNING",
            "[   0.2s] PREFLIGHT          done in 0.2 s");

    assertThat(view.accept(snapshot("SUCCEEDED", done))).isEqualTo("SUCCEEDED");
    assertThat(LiveView.endOf(snapshot("FAILED", done), ID)).isEqualTo("FAILED");
    assertThat(LiveView.endOf(snapshot("PAUSED", done), ID)).isNull();
    assertThat(LiveView.endOf(event("upgrade.succeeded", OTHER, "'state':'SUCCEEDED'"), ID))
        .isNull();
  }

  @Test
  void aPauseSaysHowToResume() throws Exception {
    view.accept(snapshot("RUNNING", ""));
    view.accept(
        event(
            "upgrade.paused",
            ID,
            "'state':'PAUSED','message':'paused before MIGRATE','at':'2026-12-08T10:00:03Z'"));
    view.accept(event("upgrade.running", ID, "'state':'RUNNING','at':'2026-12-08T10:00:04Z'"));
    assertThat(lines())
        .endsWith(
            "[   3.0s] paused: paused before MIGRATE — resume with: kestra-upgrade resume " + ID,
            "[   4.0s] resumed");
  }
}
