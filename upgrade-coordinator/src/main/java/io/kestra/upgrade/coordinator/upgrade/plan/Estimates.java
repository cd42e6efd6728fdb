package io.kestra.upgrade.coordinator.upgrade.plan;

import io.kestra.upgrade.common.CommandType;
import io.kestra.upgrade.common.ComponentKind;
import io.kestra.upgrade.common.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How long a plan's phases and each server's downtime are expected to take, and at most. Pure.
 *
 * <p>Groups run one after the other, the steps of a group in parallel: a group takes as long as its
 * longest step, a phase the sum of its groups. "At most" adds up the steps' deadlines (a stop's is
 * its grace period, kill margin and slack), which no step outlives. "Expected" adds up what each
 * step took in the cluster's last upgrade that ran it ({@link StepHistory}); it is given only where
 * every step counted has such a measurement: a first upgrade has only its bounds.
 *
 * <p>A server is down from the start of the group that stops (or restarts) it to the end of the
 * group that starts it again; the API is down while every webserver (and standalone server) is.
 */
public final class Estimates {

  private Estimates() {}

  /**
   * A phase's duration.
   *
   * @param phase the phase
   * @param expected what it is expected to take, or {@code null} when a step has no measurement
   * @param atMost the sum of its groups' longest deadlines
   */
  public record PhaseEstimate(Phase phase, Duration expected, Duration atMost) {}

  /**
   * How long a server is down.
   *
   * @param agentId its agent
   * @param expected what it is expected to be, or {@code null} when a step has no measurement
   * @param atMost the most it can be
   */
  public record Downtime(String agentId, Duration expected, Duration atMost) {}

  /**
   * A plan's estimate.
   *
   * @param total the whole upgrade
   * @param phases each phase, in the plan's order
   * @param servers each server the upgrade stops or restarts, in the plan's order
   * @param api how long no webserver serves the API ({@code ZERO} when one always does)
   */
  public record PlanEstimate(
      PhaseEstimate total, List<PhaseEstimate> phases, List<Downtime> servers, Downtime api) {}

  /** {@code steps} with the expectation {@code history} gives each. */
  public static List<PlannedStep> expect(List<PlannedStep> steps, StepHistory history) {
    return steps.stream()
        .map(s -> s.withEstimate(history.last(s.agentId(), s.type()).orElse(null)))
        .toList();
  }

  /** The estimate of {@code steps}, as {@link #expect} left them. */
  public static PlanEstimate of(List<PlannedStep> steps) {
    TreeMap<Integer, List<PlannedStep>> groups =
        steps.stream()
            .collect(Collectors.groupingBy(PlannedStep::group, TreeMap::new, Collectors.toList()));
    Map<Phase, List<List<PlannedStep>>> byPhase = new LinkedHashMap<>();
    groups
        .values()
        .forEach(g -> byPhase.computeIfAbsent(g.get(0).phase(), p -> new ArrayList<>()).add(g));
    List<PhaseEstimate> phases = new ArrayList<>();
    byPhase.forEach((phase, gs) -> phases.add(sum(phase, gs)));
    PhaseEstimate total = sum(null, List.copyOf(groups.values()));
    List<Downtime> servers = new ArrayList<>();
    Map<String, int[]> spans = new LinkedHashMap<>();
    for (PlannedStep s : steps) {
      if (s.phase().isRollback()) {
        continue;
      }
      if (s.type() == CommandType.STOP || s.type() == CommandType.RESTART) {
        spans.computeIfAbsent(s.agentId(), a -> new int[] {s.group(), s.group()})[0] = s.group();
      }
      if ((s.type() == CommandType.START || s.type() == CommandType.RESTART)
          && spans.containsKey(s.agentId())) {
        spans.get(s.agentId())[1] = s.group();
      }
    }
    spans.forEach((agent, span) -> servers.add(downtime(agent, span[0], span[1], groups)));
    return new PlanEstimate(total, phases, servers, api(spans, groups));
  }

  private static Downtime api(
      Map<String, int[]> spans, TreeMap<Integer, List<PlannedStep>> groups) {
    List<int[]> apis =
        spans.entrySet().stream()
            .filter(e -> servesUsers(e.getKey()))
            .map(Map.Entry::getValue)
            .toList();
    if (apis.isEmpty()) {
      return new Downtime("api", Duration.ZERO, Duration.ZERO);
    }
    // down while every API server is: the overlap of their spans
    int from = apis.stream().mapToInt(a -> a[0]).max().orElseThrow();
    int to = apis.stream().mapToInt(a -> a[1]).min().orElseThrow();
    return from > to
        ? new Downtime("api", Duration.ZERO, Duration.ZERO)
        : downtime("api", from, to, groups);
  }

  private static boolean servesUsers(String agentId) {
    String[] parts = agentId.split("/");
    return parts.length == 3
        && (parts[1].equals(ComponentKind.WEBSERVER.wireName())
            || parts[1].equals(ComponentKind.STANDALONE.wireName()));
  }

  private static Downtime downtime(
      String agentId, int from, int to, TreeMap<Integer, List<PlannedStep>> groups) {
    PhaseEstimate span = sum(null, List.copyOf(groups.subMap(from, true, to, true).values()));
    return new Downtime(agentId, span.expected(), span.atMost());
  }

  private static PhaseEstimate sum(Phase phase, List<List<PlannedStep>> groups) {
    Duration atMost = Duration.ZERO;
    Duration expected = Duration.ZERO;
    for (List<PlannedStep> g : groups) {
      atMost =
          atMost.plus(g.stream().map(PlannedStep::timeout).max(Duration::compareTo).orElseThrow());
      if (expected != null && g.stream().allMatch(s -> s.estimate() != null)) {
        expected =
            expected.plus(
                g.stream().map(PlannedStep::estimate).max(Duration::compareTo).orElseThrow());
      } else {
        expected = null;
      }
    }
    return new PhaseEstimate(phase, expected, atMost);
  }
}
