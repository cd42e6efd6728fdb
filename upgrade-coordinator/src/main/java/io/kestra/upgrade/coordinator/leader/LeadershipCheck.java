package io.kestra.upgrade.coordinator.leader;

import io.kestra.upgrade.coordinator.outage.Judgement;
import io.kestra.upgrade.coordinator.outage.JudgementHold;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Shows on {@code /q/health} whether this instance leads, with which epoch, and whether its sweep
 * judges now or holds its judgement (and why). Always UP: following is as healthy as leading; it is
 * not a readiness check, as every instance serves the API.
 */
@Liveness
@ApplicationScoped
public class LeadershipCheck implements HealthCheck {

  /** The check's name on {@code /q/health}. */
  public static final String NAME = "Coordinator leadership";

  private final LeaderElection election;
  private final Judgement judgement;

  public LeadershipCheck(LeaderElection election, Judgement judgement) {
    this.election = election;
    this.judgement = judgement;
  }

  @Override
  public HealthCheckResponse call() {
    JudgementHold.State hold = judgement.state();
    HealthCheckResponseBuilder b =
        HealthCheckResponse.named(NAME)
            .up()
            .withData("instance", election.instance().value())
            .withData("leader", election.isLeader())
            .withData("epoch", election.epoch())
            .withData("judging", election.isLeader() && hold.mayJudge());
    if (hold.heldUntil() != null) {
      b.withData("heldUntil", hold.heldUntil().toString()).withData("holdReason", hold.reason());
    }
    if (!hold.outages().isEmpty()) {
      b.withData("outages", hold.outages().toString());
    }
    return b.build();
  }
}
