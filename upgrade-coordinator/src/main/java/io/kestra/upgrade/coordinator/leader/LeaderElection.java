package io.kestra.upgrade.coordinator.leader;

import io.kestra.upgrade.coordinator.config.CoordinatorConfig;
import io.kestra.upgrade.coordinator.config.InstanceId;
import io.kestra.upgrade.coordinator.outage.Judgement;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This instance's part in the election of the leader ({@link LeaderElector}), the one coordinator
 * instance that runs the outbox relay and the deadline sweep. Every instance serves the API and
 * consumes acks and heartbeats.
 *
 * <p>Becoming leader holds the sweep's judgement for one LOST interval plus the heartbeats'
 * consumer session timeout ({@link Judgement#holdForTakeover}): what the database says of the
 * agents' last heartbeats may be stale, and stays so until the former leader's heartbeats
 * partitions reach a live instance. Leadership is visible as a {@code /q/health} check, the gauges
 * {@code coordinator.leader} and {@code coordinator.leader.epoch}, and an INFO line at each change.
 */
@ApplicationScoped
public class LeaderElection {

  /** The {@code NOTIFY} channel of commits that leave the leader work (outbox rows). */
  public static final String WAKE_CHANNEL = "kestra_upgrade_leader";

  private final LeaderElector elector;
  private final InstanceId instance;

  public LeaderElection(
      CoordinatorConfig config,
      InstanceId instance,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
      @ConfigProperty(name = "quarkus.datasource.username") Optional<String> user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      Event<LeadershipChanged> changes,
      Event<LeaderWoken> wakes,
      Judgement judgement,
      MeterRegistry registry) {
    this.instance = instance;
    CoordinatorConfig.Leader leader = config.leader();
    String url = jdbcUrl.startsWith("jdbc:") ? jdbcUrl : "jdbc:" + jdbcUrl;
    this.elector =
        new LeaderElector(
            () ->
                LockSession.open(
                    url,
                    user.orElse(null),
                    password.orElse(null),
                    "upgrade-coordinator leader " + instance,
                    leader.sessionTimeout()),
            leader.lockKey(),
            instance.value(),
            WAKE_CHANNEL,
            leader.renewInterval(),
            new LeaderElector.Listener() {
              @Override
              public void elected(long epoch) {
                judgement.holdForTakeover("this instance became leader (epoch " + epoch + ")");
                changes.fire(new LeadershipChanged(true, epoch));
              }

              @Override
              public void deposed(long epoch, String why) {
                changes.fire(new LeadershipChanged(false, epoch));
              }

              @Override
              public void woken() {
                wakes.fire(new LeaderWoken());
              }
            });
    Gauge.builder("coordinator.leader", elector, e -> e.isLeader() ? 1 : 0)
        .description("1 while this coordinator instance leads (runs the relay and the sweep)")
        .tag("instance", instance.value())
        .register(registry);
    Gauge.builder("coordinator.leader.epoch", elector, LeaderElector::epoch)
        .description("the epoch this instance leads with; 0 while it does not lead")
        .tag("instance", instance.value())
        .register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    elector.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    elector.close();
  }

  /** Whether this instance leads now. */
  public boolean isLeader() {
    return elector.isLeader();
  }

  /** The epoch this instance leads with; 0 when it does not lead. */
  public long epoch() {
    return elector.epoch();
  }

  /** This instance's name. */
  public InstanceId instance() {
    return instance;
  }

  /**
   * The fencing check of a leader-only transaction, in it ({@link Fence}).
   *
   * @throws NotLeaderException when this instance does not lead (any more)
   */
  public void fence(Connection c) throws SQLException {
    Fence.check(c, elector.epoch());
  }

  /**
   * Tells the leader, at the commit of the caller's transaction, that it has work ({@code NOTIFY},
   * delivered only if the transaction commits, once however often it is called in it).
   */
  public static void notifyLeader(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, '')")) {
      ps.setString(1, WAKE_CHANNEL);
      ps.execute();
    }
  }
}
