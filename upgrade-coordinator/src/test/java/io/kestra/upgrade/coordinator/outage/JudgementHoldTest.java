package io.kestra.upgrade.coordinator.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kestra.upgrade.coordinator.outage.JudgementHold.Outage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JudgementHoldTest {

  private final Duration lostInterval = Duration.ofSeconds(10);
  private final JudgementHold hold = new JudgementHold(lostInterval);
  private final Instant t0 = Instant.parse("2026-11-25T10:00:00Z");

  @Test
  void neverHeldItJudges() {
    assertThat(hold.mayJudge(t0)).isTrue();
    assertThat(hold.state(t0).heldUntil()).isNull();
  }

  @Test
  void aHoldLastsOneLostIntervalToTheInstant() {
    hold.hold("this instance became leader (epoch 3)", t0);

    assertThat(hold.mayJudge(t0)).isFalse();
    assertThat(hold.mayJudge(t0.plus(lostInterval).minusMillis(1))).isFalse();
    assertThat(hold.mayJudge(t0.plus(lostInterval))).isTrue();
    assertThat(hold.state(t0))
        .isEqualTo(
            new JudgementHold.State(
                false,
                t0.plus(lostInterval),
                "this instance became leader (epoch 3)",
                java.util.Set.of()));
  }

  @Test
  void aLaterHoldExtendsAnEarlierOneButAnEarlierNeverShortensIt() {
    hold.hold("heartbeats partitions assigned", t0.plusSeconds(5));
    hold.hold("this instance became leader", t0);

    assertThat(hold.mayJudge(t0.plusSeconds(14))).isFalse();
    assertThat(hold.state(t0).reason()).isEqualTo("heartbeats partitions assigned");
    assertThat(hold.mayJudge(t0.plusSeconds(15))).isTrue();
  }

  @Test
  void aTakeoverHoldsPastTheFormerLeadersSessionAndALaterShortHoldKeepsIt() {
    Duration session = Duration.ofSeconds(6);
    hold.hold("this instance became leader (epoch 4)", t0, lostInterval.plus(session));
    hold.hold("heartbeats partitions assigned", t0.plusSeconds(1));

    assertThat(hold.mayJudge(t0.plusSeconds(15))).as("past one LOST interval").isFalse();
    assertThat(hold.state(t0).reason()).isEqualTo("this instance became leader (epoch 4)");
    assertThat(hold.mayJudge(t0.plusSeconds(16))).isTrue();
  }

  @Test
  void nothingIsJudgedWhileTheDatabaseIsOutNorForOneIntervalAfterItIsBack() {
    assertThat(hold.outageBegan(Outage.DATABASE)).isTrue();
    assertThat(hold.outageBegan(Outage.DATABASE)).as("already out").isFalse();

    assertThat(hold.mayJudge(t0.plus(Duration.ofHours(1)))).as("out for an hour").isFalse();
    assertThat(hold.state(t0).outages()).containsExactly(Outage.DATABASE);

    Instant back = t0.plus(Duration.ofHours(1));
    assertThat(hold.outageEnded(Outage.DATABASE, back)).isTrue();
    assertThat(hold.mayJudge(back.plusSeconds(9))).isFalse();
    assertThat(hold.state(back).reason()).isEqualTo("database back after an outage");
    assertThat(hold.mayJudge(back.plus(lostInterval))).isTrue();
  }

  @Test
  void anOutageThatDidNotBeginEndsWithoutAHold() {
    assertThat(hold.outageEnded(Outage.BROKER, t0)).isFalse();
    assertThat(hold.mayJudge(t0)).isTrue();
  }

  @Test
  void bothOutagesMustEndBeforeJudging() {
    hold.outageBegan(Outage.BROKER);
    hold.outageBegan(Outage.DATABASE);
    hold.outageEnded(Outage.BROKER, t0);

    assertThat(hold.mayJudge(t0.plusSeconds(60))).as("the database is still out").isFalse();

    hold.outageEnded(Outage.DATABASE, t0.plusSeconds(60));
    assertThat(hold.mayJudge(t0.plusSeconds(69))).isFalse();
    assertThat(hold.mayJudge(t0.plusSeconds(70))).isTrue();
  }
}
